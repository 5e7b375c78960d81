import { Secret, TOTP } from 'otpauth';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DeskApp, PASSWORD, startDeskApp } from './desk-app.ts';
import {
  type AxeFigures,
  checkPage,
  collectErrors,
  ensureDeskBundle,
  hasChromium,
  launchChromium,
} from './desk-browser.ts';

const SENDER = 'sender@desk.test';
const ADMIN = 'admin@desk.test';
/** Screenshots of the account page's enrolment in Japanese at 1280 px (issue 22). */
const SHOTS = '/tmp/desk-two-factor';

let desk: DeskApp;
let browser: Browser;
const figures: AxeFigures[] = [];

beforeAll(async () => {
  ensureDeskBundle();
  desk = await startDeskApp({ [SENDER]: ['sender'], [ADMIN]: ['admin'] }, 0);
  browser = await launchChromium();
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await desk?.close();
  console.log(JSON.stringify({ axe: figures }));
});

/** A Japanese browser at 1280 px that has sent `email`'s e-mail and password. */
async function signInJa(email = SENDER): Promise<{ page: Page; errors: string[] }> {
  const context = await browser.newContext({ locale: 'ja-JP', viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const errors = collectErrors(page);
  await page.goto(`${desk.origin}/desk/`);
  await page.getByLabel('メールアドレス').fill(email);
  await page.getByLabel('パスワード').fill(PASSWORD);
  await page.getByRole('button', { name: 'サインイン', exact: true }).click();
  return { page, errors };
}

describe.skipIf(!hasChromium)('two-step sign-in in Chromium, in Japanese', { timeout: 120_000 }, () => {
  it('an admin requires it of senders on the account page (stored and audited)', async () => {
    const { page, errors } = await signInJa(ADMIN);
    await page.getByRole('button', { name: 'サインアウト' }).waitFor();
    await page.goto(`${desk.origin}/desk/account`);
    const group = page.getByRole('group', { name: '二段階認証を必須にする役割' });
    await group.getByLabel('配信担当').check();
    await expect.poll(() => desk.gazette.secondFactors.policy()).toEqual({ roles: ['sender'] });
    await checkPage(page, 'two-factor-policy-1280', figures, SHOTS);
    const audit = await desk.gazette.audit.since(0);
    expect(audit).toContainEqual(
      expect.objectContaining({ user: ADMIN, action: 'settings.second-factor', target: 'roles:sender' }),
    );
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('a sender held back by the policy enrols on the account page, then signs in with the code', async () => {
    const first = await signInJa();
    await first.page.getByRole('button', { name: 'サインアウト' }).waitFor();
    await first.page.goto(`${desk.origin}/desk/account`);
    await first.page.getByText('あなたの役割には二段階認証が必要です。', { exact: false }).first().waitFor();
    // Said once, in the two-factor part's words, not again as the notices' refusal.
    expect(await first.page.getByText('先にアカウントページで', { exact: false }).count()).toBe(0);
    await first.page.getByRole('button', { name: '認証アプリを設定する' }).click();
    const qr = first.page.getByRole('img', { name: '認証アプリで読み取るQRコード' });
    await qr.waitFor();
    expect(await qr.getAttribute('src')).toMatch(/^data:image\/svg\+xml;base64,/);
    const secret = (await first.page.locator('form code').first().textContent()) ?? '';
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    const codeField = first.page.getByLabel('6桁のコード');
    expect(await codeField.getAttribute('autocomplete')).toBe('one-time-code');
    expect(await codeField.getAttribute('inputmode')).toBe('numeric');
    await checkPage(first.page, 'two-factor-enrol-1280', figures, SHOTS);
    const totp = new TOTP({ secret: Secret.fromBase32(secret), period: 30, digits: 6 });
    await codeField.fill(totp.generate());
    await first.page.getByRole('button', { name: 'オンにする' }).click();
    const codes = first.page.getByRole('list', { name: 'リカバリーコード' }).getByRole('listitem');
    await codes.first().waitFor();
    expect(await codes.count()).toBe(10);
    await checkPage(first.page, 'two-factor-recovery-1280', figures, SHOTS);
    expect(
      await first.page.getByText('あなたの役割には二段階認証が必要です。', { exact: false }).count(),
    ).toBe(0);
    expect(first.errors.filter((e) => !e.includes('403'))).toEqual([]);
    await first.page.context().close();

    const second = await signInJa();
    const code = second.page.getByLabel('認証アプリのコード');
    await code.waitFor();
    expect(await code.getAttribute('autocomplete')).toBe('one-time-code');
    expect(await code.getAttribute('inputmode')).toBe('numeric');
    await checkPage(second.page, 'two-factor-sign-in-1280', figures, SHOTS);
    // The enrolment spent this step's code; the next step's is accepted (one step of drift).
    await code.fill(totp.generate({ timestamp: Date.now() + 30_000 }));
    await second.page.getByRole('button', { name: 'サインイン', exact: true }).click();
    await second.page.getByRole('button', { name: 'サインアウト' }).waitFor();
    expect(await second.page.evaluate(() => location.pathname)).not.toContain('sign-in');
    await second.page.context().close();
  });
});
