import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DeskApp, PASSWORD, startDeskApp } from './desk-app.ts';
import {
  type AxeFigures,
  checkPage,
  ensureDeskBundle,
  hasChromium,
  launchChromium,
  pageWidth,
  pageWithAuthenticator,
} from './desk-browser.ts';

// Issue 22: passkeys in Chromium with the DevTools protocol's virtual authenticator (a platform
// authenticator with resident keys and user verification), in Japanese. The desk runs at
// http://localhost:<port>: WebAuthn takes no IP address as its RP ID, and localhost is a secure context.

const WRITER = 'kana@desk.test';
const SENDER = 'sender@desk.test';
/** Screenshots of the passkey screens in Japanese at 1280 and 375 px. */
const SHOTS = '/tmp/desk-passkeys';
const WIDE = { width: 1280, height: 900 };
const NARROW = { width: 375, height: 800 };

let desk: DeskApp;
let browser: Browser;
const figures: AxeFigures[] = [];

beforeAll(async () => {
  ensureDeskBundle();
  desk = await startDeskApp({ [WRITER]: ['writer'], [SENDER]: ['sender'] }, 0, {}, { host: 'localhost' });
  browser = await launchChromium();
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await desk?.close();
  console.log(JSON.stringify({ axe: figures }));
});

async function withPassword(page: Page, email: string): Promise<void> {
  await page.getByLabel('メールアドレス').fill(email);
  await page.getByLabel('パスワード').fill(PASSWORD);
  await page.getByRole('button', { name: 'サインイン', exact: true }).click();
}

/**
 * Both widths: a screenshot with axe at each, and nothing wider than 375 px on a phone, where the
 * screenshot shows `shown` (scrolled to).
 */
async function lookAtBoth(page: Page, name: string, shown?: Locator): Promise<void> {
  await checkPage(page, `${name}-1280`, figures, SHOTS);
  await page.setViewportSize(NARROW);
  await shown?.scrollIntoViewIfNeeded();
  const { width, wide } = await pageWidth(page);
  expect(width, wide.join('; ')).toBeLessThanOrEqual(NARROW.width);
  await checkPage(page, `${name}-375`, figures, SHOTS);
  await page.setViewportSize(WIDE);
}

async function enrolOnAccountPage(page: Page, name: string): Promise<void> {
  await page.goto(`${desk.origin}/desk/account`);
  await page.getByRole('heading', { name: 'パスキー', exact: true }).waitFor();
  await page.getByLabel('この端末のパスキーの名前').fill(name);
  await page.getByRole('button', { name: 'パスキーを追加' }).click();
  await page.getByRole('list', { name: '登録済みのパスキー' }).getByText(name).waitFor();
}

describe.skipIf(!hasChromium)('passkeys in Chromium, in Japanese', { timeout: 180_000 }, () => {
  it('enrols a passkey on the account page, signs in with it alone, and removes it', async () => {
    const { page, errors } = await pageWithAuthenticator(browser, desk.origin, WIDE);
    await withPassword(page, WRITER);
    await page.getByRole('button', { name: 'サインアウト' }).waitFor();
    await enrolOnAccountPage(page, 'MacBook');
    const stored = await desk.gazette.passkeys.list(WRITER);
    expect(stored).toMatchObject([{ name: 'MacBook', transports: ['internal'], lastUsedAt: null }]);
    expect(await page.getByText('まだ使われていません').count()).toBe(1);
    // The two-factor part no longer says a password alone signs in.
    await page.getByText('登録済みのパスキーが二段階認証になります。', { exact: false }).waitFor();
    expect(await page.getByText('パスワードだけが必要です', { exact: false }).count()).toBe(0);
    await lookAtBoth(page, 'passkeys-account', page.getByRole('button', { name: 'パスキーを追加' }));

    await page.getByRole('button', { name: 'サインアウト' }).click();
    const passkeyButton = page.getByRole('button', { name: 'パスキーでサインイン' });
    await passkeyButton.waitFor();
    await lookAtBoth(page, 'passkeys-sign-in');
    await passkeyButton.click();
    await page.getByRole('button', { name: 'サインアウト' }).waitFor();
    const used = await desk.gazette.passkeys.list(WRITER);
    expect(used[0]?.lastUsedAt).not.toBeNull();
    expect(used[0]?.counter).toBeGreaterThan(0);
    const audit = await desk.gazette.audit.since(0);
    expect(audit).toContainEqual(
      expect.objectContaining({ user: WRITER, action: 'session.passkey-sign-in', target: WRITER }),
    );

    await page.goto(`${desk.origin}/desk/account`);
    await page.getByRole('button', { name: 'パスキー「MacBook」を削除' }).click();
    await page.getByText('パスキーはまだありません。').waitFor();
    expect(await desk.gazette.passkeys.list(WRITER)).toEqual([]);
    expect(await desk.gazette.audit.since(0)).toContainEqual(
      expect.objectContaining({ action: 'user.passkey-remove', target: `user:${WRITER} passkey:MacBook` }),
    );
    // The authenticator still holds the credential; the desk no longer knows it.
    await page.getByRole('button', { name: 'サインアウト' }).click();
    await page.getByRole('button', { name: 'パスキーでサインイン' }).click();
    await page.getByText('このパスキーはデスクに登録されていません。').waitFor();
    expect(await page.getByRole('button', { name: 'サインアウト' }).count()).toBe(0);
    // The refused sign-in's 401, as the response and as the console's line about it.
    expect(errors.filter((e) => !/\/session\/passkey: 401|status of 401/.test(e))).toEqual([]);
    await page.context().close();
  });

  it('a sender held back by the policy enrols a passkey, then signs in with the password and the passkey', async () => {
    await desk.gazette.secondFactors.setPolicy({ roles: ['sender'] });
    const { page, errors } = await pageWithAuthenticator(browser, desk.origin, WIDE);
    await withPassword(page, SENDER);
    await page.getByRole('button', { name: 'サインアウト' }).waitFor();
    await page.goto(`${desk.origin}/desk/account`);
    await page.getByText('あなたの役割には二段階認証が必要です。', { exact: false }).first().waitFor();
    await enrolOnAccountPage(page, '仕事用のMacBook');
    // The passkey satisfies the policy: the warning goes, and the rest of the desk opens.
    await expect
      .poll(() => page.getByText('あなたの役割には二段階認証が必要です。', { exact: false }).count())
      .toBe(0);
    expect(await page.evaluate(async () => (await fetch('/desk/api/issues')).status)).toBe(200);
    await page.getByRole('button', { name: 'サインアウト' }).click();
    // Whatever page the sign-out left, the sign-in form is at /desk/.
    await page.getByRole('button', { name: 'サインアウト' }).waitFor({ state: 'detached' });
    await page.goto(`${desk.origin}/desk/`);

    await withPassword(page, SENDER);
    const confirm = page.getByRole('button', { name: 'パスキーで確認' });
    await confirm.waitFor();
    await page.getByText('パスキーでサインインを確認してください。').waitFor();
    // Only a passkey: no field for an authenticator app's code.
    expect(await page.getByLabel('認証アプリのコード').count()).toBe(0);
    await lookAtBoth(page, 'passkeys-second-factor');
    await confirm.click();
    await page.getByRole('button', { name: 'サインアウト' }).waitFor();
    const res = await page.evaluate(async () => (await fetch('/desk/api/sends')).status);
    expect(res).toBe(200);
    expect((await desk.gazette.passkeys.list(SENDER))[0]?.lastUsedAt).not.toBeNull();
    // The policy's 403s before enrolling, and the 401 that asked for the passkey (each also as a console line).
    expect(errors.filter((e) => !/\/session: 401|: 403|status of 40[13]/.test(e))).toEqual([]);
    await page.context().close();
  });
});
