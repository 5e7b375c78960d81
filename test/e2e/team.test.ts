import { Secret, TOTP } from 'otpauth';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DeskApp, PASSWORD, startDeskApp } from './desk-app.ts';
import {
  type AxeFigures,
  checkPage,
  ensureDeskBundle,
  hasChromium,
  launchChromium,
  pageWidth,
  signInJa,
} from './desk-browser.ts';

const ADMIN = 'admin@desk.test';
const HANA = 'hana@desk.test';
const SATO = 'sato@desk.test';
/** Screenshots of the members page and the account page's devices, in Japanese (issue 22). */
const SHOTS = '/tmp/desk-team';
const WIDE = { width: 1280, height: 900 };
const PHONE = { width: 375, height: 812 };
const IPHONE =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1';

let desk: DeskApp;
let browser: Browser;
const figures: AxeFigures[] = [];

beforeAll(async () => {
  ensureDeskBundle();
  desk = await startDeskApp({ [ADMIN]: ['admin'], [HANA]: ['writer'], [SATO]: ['editor'] }, 0);
  browser = await launchChromium();
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await desk?.close();
  console.log(JSON.stringify({ axe: figures }));
});

/** The members table's row of `email`. */
const rowOf = (page: Page, email: string) => page.locator('table.member-list tbody tr', { hasText: email });

describe.skipIf(!hasChromium)('people in the desk, in Japanese', { timeout: 120_000 }, () => {
  it('an admin changes a role and disables a member on 「メンバー」; the member is signed out at once', async () => {
    const hana = await signInJa(browser, desk.origin, HANA, PASSWORD, WIDE);
    // A writer sees no members page in the navigation.
    expect(await hana.page.getByRole('link', { name: 'メンバー' }).count()).toBe(0);
    const { page, errors } = await signInJa(browser, desk.origin, ADMIN, PASSWORD, WIDE);
    await page.getByRole('link', { name: 'メンバー' }).click();
    await page.getByRole('heading', { name: 'メンバー', level: 1 }).waitFor();
    const row = rowOf(page, HANA);
    await row.waitFor();
    // The members come first: no invitation form until 「招待する」 is pressed.
    expect(await page.getByRole('form', { name: 'メンバーを招待' }).count()).toBe(0);
    // Plain Japanese role names, never `writer`.
    const roles = row.getByRole('group', { name: 'hanaの役割' });
    expect(await roles.getByLabel('執筆者').isChecked()).toBe(true);
    expect(await row.textContent()).not.toMatch(/writer|editor|admin/);
    await roles.getByLabel('編集者').check();
    await expect.poll(async () => (await desk.gazette.users.get(HANA))?.roles).toEqual(['writer', 'editor']);
    await checkPage(page, 'team-1280', figures, SHOTS);

    await row.getByRole('button', { name: 'hanaを無効にする' }).click();
    await row.getByRole('button', { name: 'hanaを有効にする' }).waitFor();
    expect(await row.getByRole('cell', { name: '無効', exact: true }).count()).toBe(1);
    expect((await desk.gazette.users.get(HANA))?.disabled).toBe(true);
    // Hana's next step finds her session gone.
    await hana.page.getByRole('link', { name: '配信' }).click();
    await hana.page.waitForURL('**/desk/session-ended');
    // Signing in again with the right password is refused, and says why.
    await hana.page.goto(`${desk.origin}/desk/`);
    await hana.page.getByLabel('メールアドレス').fill(HANA);
    await hana.page.getByLabel('パスワード').fill(PASSWORD);
    await hana.page.getByRole('button', { name: 'サインイン', exact: true }).click();
    await hana.page
      .getByRole('alert')
      .getByText('このアカウントは無効になっています', { exact: false })
      .waitFor();
    expect(await hana.page.getByRole('button', { name: 'サインアウト' }).count()).toBe(0);
    await checkPage(page, 'team-disabled-1280', figures, SHOTS);

    // The last admin cannot take their own role away: the box comes back and the row says why.
    const mine = rowOf(page, ADMIN).getByRole('group', { name: 'adminの役割' });
    await mine.getByLabel('編集者').check();
    await expect.poll(async () => (await desk.gazette.users.get(ADMIN))?.roles).toEqual(['editor', 'admin']);
    // A click, not uncheck(): the box comes back as soon as the server refuses, as it should.
    await mine.getByLabel('管理者').click();
    await rowOf(page, ADMIN).getByText('最後の管理者', { exact: false }).waitFor();
    expect(await mine.getByLabel('管理者').isChecked()).toBe(true);
    expect((await desk.gazette.users.get(ADMIN))?.roles).toEqual(['editor', 'admin']);

    const audit = await desk.gazette.audit.since(0);
    for (const action of ['user.roles', 'user.disable']) {
      expect(audit).toContainEqual(expect.objectContaining({ user: ADMIN, action }));
    }
    expect(errors.filter((e) => !e.includes('409'))).toEqual([]);
    await hana.page.context().close();
    await page.context().close();
  });

  it('an admin resets the authenticator app a member lost, from 「メンバー」, after a question', async () => {
    const enrolment = await desk.gazette.secondFactors.begin(SATO);
    if (!enrolment) throw new Error('no enrolment');
    const code = TOTP.generate({ secret: Secret.fromBase32(enrolment.secret), period: 30, digits: 6 });
    expect(await desk.gazette.secondFactors.confirm(SATO, code)).not.toBeNull();
    const { page, errors } = await signInJa(browser, desk.origin, ADMIN, PASSWORD, WIDE);
    await page.goto(`${desk.origin}/desk/team`);
    const row = rowOf(page, SATO);
    await row.getByRole('cell', { name: '認証アプリ', exact: true }).waitFor();
    await checkPage(page, 'team-second-factor-1280', figures, SHOTS);
    // Members without a second factor have nothing to reset.
    expect(
      await rowOf(page, ADMIN)
        .getByRole('button', { name: /二段階認証をリセット/ })
        .count(),
    ).toBe(0);
    const asked: string[] = [];
    page.removeAllListeners('dialog');
    page.once('dialog', (d) => {
      asked.push(d.message());
      void d.accept();
    });
    await row.getByRole('button', { name: 'satoの二段階認証をリセット' }).click();
    await row.getByRole('status').getByText('sato@desk.test の二段階認証をリセットしました。').waitFor();
    expect(asked[0]).toContain('sato@desk.test の認証アプリとパスキーを削除しますか');
    await row.getByRole('cell', { name: 'なし', exact: true }).waitFor();
    expect(await desk.gazette.secondFactors.enrolled(SATO)).toBe(false);
    expect(await desk.gazette.audit.since(0)).toContainEqual(
      expect.objectContaining({ user: ADMIN, action: 'user.totp-reset', target: `user:${SATO}` }),
    );
    // The policy's hint names the button, never an API path.
    await page.goto(`${desk.origin}/desk/account`);
    await page.getByText('「二段階認証をリセット」', { exact: false }).waitFor();
    expect(await page.locator('main').textContent()).not.toContain('/desk/api/');
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('fits a phone: each member is a card at 375 px', async () => {
    const { page, errors } = await signInJa(browser, desk.origin, ADMIN, PASSWORD, PHONE);
    await page.goto(`${desk.origin}/desk/team`);
    await rowOf(page, SATO).waitFor();
    const { width, wide } = await pageWidth(page);
    expect(width, `sticking out: ${wide.join(', ')}`).toBeLessThanOrEqual(PHONE.width);
    expect(
      await page.locator('table.member-list thead').evaluate((e) => e.getBoundingClientRect().height),
    ).toBe(1);
    await checkPage(page, 'team-375', figures, SHOTS);
    // The invitation is folded away: the members come first, and 「招待する」 opens it.
    const open = page.getByRole('button', { name: '招待する' });
    const form = page.getByRole('form', { name: 'メンバーを招待' });
    expect(await form.count()).toBe(0);
    expect(await open.getAttribute('aria-expanded')).toBe('false');
    await open.click();
    await form.waitFor();
    expect(await open.getAttribute('aria-expanded')).toBe('true');
    expect(await form.getByLabel('メールアドレス').evaluate((e) => e === document.activeElement)).toBe(true);
    const opened = await pageWidth(page);
    expect(opened.width, `sticking out: ${opened.wide.join(', ')}`).toBeLessThanOrEqual(PHONE.width);
    await checkPage(page, 'team-invite-375', figures, SHOTS);
    // Cancelling folds it again and gives the focus back to the button.
    await form.getByRole('button', { name: 'キャンセル' }).click();
    expect(await form.count()).toBe(0);
    expect(await open.evaluate((e) => e === document.activeElement)).toBe(true);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('「サインイン中の端末」 lists this device and another; ending the other signs it out at once', async () => {
    const phoneContext = await browser.newContext({ locale: 'ja-JP', viewport: PHONE, userAgent: IPHONE });
    const phone = await phoneContext.newPage();
    await phone.goto(`${desk.origin}/desk/`);
    await phone.getByLabel('メールアドレス').fill(SATO);
    await phone.getByLabel('パスワード').fill(PASSWORD);
    await phone.getByRole('button', { name: 'サインイン', exact: true }).click();
    await phone.getByRole('button', { name: 'サインアウト' }).waitFor();

    const { page, errors } = await signInJa(browser, desk.origin, SATO, PASSWORD, WIDE);
    await page.goto(`${desk.origin}/desk/account`);
    const list = page.locator('ul.session-list');
    await list.getByText('Safari 17 · iOS 17.4 · iPhone').waitFor();
    const items = list.getByRole('listitem');
    expect(await items.count()).toBe(2);
    const here = items.filter({ hasText: 'この端末' });
    expect(await here.count()).toBe(1);
    expect(await here.getByRole('button').count()).toBe(0);
    expect(await list.textContent()).toContain('IPアドレス 127.0.0.1');
    await checkPage(page, 'account-sessions-1280', figures, SHOTS);

    await page.getByRole('button', { name: 'Safari 17 · iOS 17.4 · iPhoneのサインインを終了' }).click();
    await expect.poll(() => items.count()).toBe(1);
    await page.getByText('サインインしているのはこの端末だけです。').waitFor();
    // The phone's next request is refused: it lands on the session-ended page.
    await phone.getByRole('link', { name: '配信' }).click();
    await phone.waitForURL('**/desk/session-ended');
    expect(await desk.gazette.sessions.list(SATO)).toHaveLength(1);
    expect(await desk.gazette.audit.since(0)).toContainEqual(
      expect.objectContaining({ user: SATO, action: 'session.end' }),
    );

    await page.setViewportSize(PHONE);
    const { width } = await pageWidth(page);
    expect(width).toBeLessThanOrEqual(PHONE.width);
    await checkPage(page, 'account-sessions-375', figures, SHOTS);
    await page.setViewportSize(WIDE);

    // An admin opens Sato's devices on the members page and ends the last one: Sato is signed out.
    const admin = await signInJa(browser, desk.origin, ADMIN, PASSWORD, WIDE);
    await admin.page.goto(`${desk.origin}/desk/team`);
    const row = rowOf(admin.page, SATO);
    const disclosure = row.locator('summary');
    expect(await disclosure.getAttribute('aria-label')).toBe('satoのサインイン中の端末');
    await disclosure.click();
    const end = row.getByRole('button', { name: /^Chrome .*のサインインを終了$/ });
    await end.waitFor();
    await checkPage(admin.page, 'team-sessions-1280', figures, SHOTS);
    await end.click();
    await row.getByText('どの端末でもサインインしていません。').waitFor();
    await page.getByRole('link', { name: '配信' }).click();
    await page.waitForURL('**/desk/session-ended');
    expect(await desk.gazette.sessions.list(SATO)).toEqual([]);
    expect(errors.filter((e) => !e.includes('401'))).toEqual([]);
    expect(admin.errors).toEqual([]);
    await admin.page.context().close();
    await phoneContext.close();
    await page.context().close();
  });
});
