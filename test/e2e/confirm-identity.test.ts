import { createHash } from 'node:crypto';
import { Secret, TOTP } from 'otpauth';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONFIRMATION_MS } from '../../src/accounts/session-store.ts';
import { taggedKey } from '../../src/redis.ts';
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

// The proof of identity before a second factor is removed, in Chromium and in Japanese: the account
// page's removal meets the server's 403, the dialog asks for the password (or a passkey, with the
// DevTools protocol's virtual authenticator), and the removal runs again. The session is made older
// than the window in Redis, as ten minutes would.

const WRITER = 'nao@desk.test';
/** Screenshots of the dialog in Japanese at 1280 and 375 px. */
const SHOTS = '/tmp/desk-confirm-identity';
const WIDE = { width: 1280, height: 900 };
const NARROW = { width: 375, height: 800 };

let desk: DeskApp;
let browser: Browser;
const figures: AxeFigures[] = [];

beforeAll(async () => {
  ensureDeskBundle();
  desk = await startDeskApp({ [WRITER]: ['writer'] }, 0, {}, { withIssue: false, host: 'localhost' });
  browser = await launchChromium();
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await desk?.close();
  console.log(JSON.stringify({ axe: figures }));
});

/** A Japanese page at 1280 px with a platform authenticator, signed in as WRITER with the password. */
async function signedIn(): Promise<{ page: Page; errors: string[] }> {
  const { page, errors } = await pageWithAuthenticator(browser, desk.origin, WIDE);
  await page.getByLabel('メールアドレス').fill(WRITER);
  await page.getByLabel('パスワード').fill(PASSWORD);
  await page.getByRole('button', { name: 'サインイン', exact: true }).click();
  await page.getByRole('button', { name: 'サインアウト' }).waitFor();
  return { page, errors };
}

/** Makes the page's session look signed in `CONFIRMATION_MS` and a minute ago (Redis holds its proof's time). */
async function ageSession(page: Page): Promise<void> {
  const cookie = (await page.context().cookies()).find((c) => c.name === 'gazette-session');
  if (!cookie) throw new Error('no session cookie');
  const digest = createHash('sha256').update(cookie.value).digest('base64url');
  const key = taggedKey(desk.gazette.config.REDIS_PREFIX, 'session', digest);
  expect(await desk.gazette.redis.hget(key, 'confirmedAt')).not.toBeNull();
  await desk.gazette.redis.hset(key, 'confirmedAt', Date.now() - CONFIRMATION_MS - 60_000);
}

describe.skipIf(!hasChromium)('confirming who one is, in Chromium, in Japanese', { timeout: 180_000 }, () => {
  it('turning the authenticator app off asks for the password in a dialog, then goes through', async () => {
    const { page, errors } = await signedIn();
    // An authenticator app enrolled beside this session.
    const begun = await desk.gazette.secondFactors.begin(WRITER);
    const totp = new TOTP({ secret: Secret.fromBase32(begun?.secret ?? ''), period: 30, digits: 6 });
    expect(await desk.gazette.secondFactors.confirm(WRITER, totp.generate())).toHaveLength(10);
    await ageSession(page);

    await page.goto(`${desk.origin}/desk/account`);
    await page.getByRole('button', { name: '二段階認証をオフにする' }).click();
    const dialog = page.getByRole('dialog', { name: 'ご本人の確認' });
    await dialog.waitFor();
    const password = dialog.getByLabel('パスワード');
    // The dialog is modal and takes the focus on its password field.
    expect(await password.evaluate((el) => el === document.activeElement)).toBe(true);
    await checkPage(page, 'confirm-identity-dialog-1280', figures, SHOTS);
    await page.setViewportSize(NARROW);
    const { width, wide } = await pageWidth(page);
    expect(width, wide.join('; ')).toBeLessThanOrEqual(NARROW.width);
    await checkPage(page, 'confirm-identity-dialog-375', figures, SHOTS);
    await page.setViewportSize(WIDE);

    await password.fill('not the password');
    await dialog.getByRole('button', { name: '確認して続ける' }).click();
    await dialog.getByText('パスワードが違います。', { exact: false }).waitFor();
    await checkPage(page, 'confirm-identity-wrong-1280', figures, SHOTS);
    expect(await desk.gazette.secondFactors.enrolled(WRITER)).toBe(true);

    await password.fill(PASSWORD);
    await dialog.getByRole('button', { name: '確認して続ける' }).click();
    await dialog.waitFor({ state: 'detached' });
    await expect.poll(() => desk.gazette.secondFactors.enrolled(WRITER)).toBe(false);
    await page.getByRole('button', { name: '認証アプリを設定する' }).waitFor();
    const audit = await desk.gazette.audit.since(0);
    expect(audit.map((e) => e.action)).toEqual(
      expect.arrayContaining(['session.confirm-identity', 'user.totp-remove']),
    );
    // The first removal's 403 and the wrong password's 422, as responses and console lines.
    expect(errors.filter((e) => !/: 40[3]|: 422|status of 4(03|22)/.test(e))).toEqual([]);
    await page.context().close();
  });

  it('removing a passkey is confirmed with a passkey; cancelling leaves it in place', async () => {
    const { page, errors } = await signedIn();
    await page.goto(`${desk.origin}/desk/account`);
    await page.getByLabel('この端末のパスキーの名前').fill('MacBook');
    await page.getByRole('button', { name: 'パスキーを追加' }).click();
    const remove = page.getByRole('button', { name: 'パスキー「MacBook」を削除' });
    await remove.waitFor();
    await ageSession(page);

    await remove.click();
    const dialog = page.getByRole('dialog', { name: 'ご本人の確認' });
    await dialog.getByRole('button', { name: 'パスキーで確認する' }).waitFor();
    await checkPage(page, 'confirm-identity-passkey-1280', figures, SHOTS);
    await dialog.getByRole('button', { name: 'キャンセル' }).click();
    await dialog.waitFor({ state: 'detached' });
    expect(await desk.gazette.passkeys.list(WRITER)).toHaveLength(1);

    await remove.click();
    await dialog.getByRole('button', { name: 'パスキーで確認する' }).click();
    await page.getByText('パスキーはまだありません。').waitFor();
    expect(await dialog.count()).toBe(0);
    expect(await desk.gazette.passkeys.list(WRITER)).toEqual([]);
    expect(await desk.gazette.audit.since(0)).toContainEqual(
      expect.objectContaining({ action: 'session.confirm-identity', target: `${WRITER} (passkey)` }),
    );

    // Adding one is held back the same way: a stolen session must not plant a passkey of its own.
    await ageSession(page);
    await page.getByLabel('この端末のパスキーの名前').fill('iPad');
    await page.getByRole('button', { name: 'パスキーを追加' }).click();
    await dialog.getByLabel('パスワード').fill(PASSWORD);
    await dialog.getByRole('button', { name: '確認して続ける' }).click();
    await page.getByRole('button', { name: 'パスキー「iPad」を削除' }).waitFor();
    expect((await desk.gazette.passkeys.list(WRITER)).map((p) => p.name)).toEqual(['iPad']);
    expect(errors.filter((e) => !/: 403|status of 403/.test(e))).toEqual([]);
    await page.context().close();
  });
});
