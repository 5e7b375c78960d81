import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DeskApp, PASSWORD, startDeskApp } from './desk-app.ts';
import { ensureDeskBundle, hasChromium, launchChromium, signInJa } from './desk-browser.ts';

// Signing out in Chromium, in Japanese: the sign-in form at once, nothing of the signed-out user's
// pages left on screen or in the app's memory, and a reload that stays signed out.
const KIMURA = 'kimura@desk.test';
const TANAKA = 'tanaka@desk.test';
const WIDE = { width: 1280, height: 900 };
/** Long enough for the sign-out's own request, far shorter than waiting for another one. */
const AT_ONCE = { timeout: 3_000 };

let desk: DeskApp;
let browser: Browser;

beforeAll(async () => {
  ensureDeskBundle();
  desk = await startDeskApp({ [KIMURA]: ['admin'], [TANAKA]: ['writer'] }, 0);
  browser = await launchChromium();
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await desk?.close();
});

/**
 * From now on, notes in the page whether `text` ever shows in its body (a MutationObserver sees
 * every change, so a glimpse between two renders counts too).
 */
async function watchFor(page: Page, text: string): Promise<void> {
  await page.evaluate((t) => {
    const w = window as unknown as { glimpsed: boolean };
    w.glimpsed = false;
    const look = () => {
      if (document.body.textContent?.includes(t)) w.glimpsed = true;
    };
    new MutationObserver(look).observe(document.body, {
      childList: true,
      subtree: true,
      characterData: true,
    });
  }, text);
}

const glimpsed = (page: Page) => page.evaluate(() => (window as unknown as { glimpsed: boolean }).glimpsed);

/** Signs in on the open sign-in form of `page`. */
async function signInHere(page: Page, email: string): Promise<void> {
  await page.getByLabel('メールアドレス').fill(email);
  await page.getByLabel('パスワード').fill(PASSWORD);
  await page.getByRole('button', { name: 'サインイン', exact: true }).click();
  await page.getByRole('button', { name: 'サインアウト' }).waitFor();
}

describe.skipIf(!hasChromium)('signing out of the desk, in Japanese', { timeout: 60_000 }, () => {
  it('shows the sign-in form at once, keeps nothing of the page, and a reload stays signed out', async () => {
    const { page, errors } = await signInJa(browser, desk.origin, KIMURA, PASSWORD, WIDE);
    const list = page.getByRole('heading', { name: '号の一覧', level: 1 });
    await list.waitFor();
    await page.getByRole('link', { name: 'No.203' }).first().waitFor();
    // The issues list is at /desk/ already: signing out there changes no address.
    expect(new URL(page.url()).pathname).toBe('/desk/');

    const signedOut = page.waitForResponse((r) => r.request().method() === 'DELETE');
    await page.getByRole('button', { name: 'サインアウト' }).click();
    expect((await signedOut).status()).toBe(204);
    await page.getByRole('heading', { name: 'Gazette デスクにサインイン' }).waitFor(AT_ONCE);
    expect(await list.count()).toBe(0);
    expect(await page.getByRole('link', { name: 'No.203' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'サインアウト' }).count()).toBe(0);
    expect(await page.getByText('kimura').count()).toBe(0);

    await page.reload();
    await page.getByRole('heading', { name: 'Gazette デスクにサインイン' }).waitFor();
    expect(await page.getByRole('button', { name: 'サインアウト' }).count()).toBe(0);
    expect(await page.evaluate(async () => (await fetch('/desk/api/session')).status)).toBe(401);
    // The test's own question after signing out, as the response and as the console's line about it.
    expect(errors.filter((e) => !/\/desk\/api\/session: 401$|status of 401 /.test(e))).toEqual([]);
    await page.context().close();
  });

  it('from the members page: the next person to sign in on the tab never sees the first one’s pages', async () => {
    const { page, errors } = await signInJa(browser, desk.origin, KIMURA, PASSWORD, WIDE);
    await page.goto(`${desk.origin}/desk/team`);
    await page.locator('table.member-list tbody tr', { hasText: TANAKA }).waitFor();
    await page.getByRole('button', { name: 'サインアウト' }).click();
    await page.getByRole('heading', { name: 'Gazette デスクにサインイン' }).waitFor(AT_ONCE);
    // The next person starts on the issues list, not on the page the last one left.
    expect(new URL(page.url()).pathname).toBe('/desk/');
    expect(await page.getByText('kimura').count()).toBe(0);

    await watchFor(page, 'kimura');
    await signInHere(page, TANAKA);
    await page.getByRole('heading', { name: '号の一覧', level: 1 }).waitFor();
    expect(await page.getByRole('link', { name: 'tanakaさんのアカウント' }).count()).toBe(1);
    // A writer has no members page; nothing of Kimura's (name, members list) showed in between.
    expect(await page.getByRole('link', { name: 'メンバー' }).count()).toBe(0);
    expect(await glimpsed(page)).toBe(false);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('with unsaved changes asks first: declining keeps the session, agreeing signs out', async () => {
    const { page, errors } = await signInJa(browser, desk.origin, TANAKA, PASSWORD, WIDE);
    await page.goto(`${desk.origin}/desk/issues/203`);
    await page.getByLabel('件名', { exact: true }).fill('まだ保存していない件名');
    const questions: string[] = [];
    page.removeAllListeners('dialog');
    page.once('dialog', (d) => {
      questions.push(d.message());
      void d.dismiss();
    });
    await page.getByRole('button', { name: 'サインアウト' }).click();
    await expect.poll(() => questions).toEqual(['未保存の変更があります。破棄して移動しますか？']);
    expect(await page.getByLabel('件名', { exact: true }).inputValue()).toBe('まだ保存していない件名');
    expect(await page.evaluate(async () => (await fetch('/desk/api/session')).status)).toBe(200);

    page.on('dialog', (d) => {
      questions.push(d.message());
      void d.accept();
    });
    await page.getByRole('button', { name: 'サインアウト' }).click();
    await page.getByRole('heading', { name: 'Gazette デスクにサインイン' }).waitFor(AT_ONCE);
    // Asked once for this sign-out, not again when the page then leaves the editor.
    expect(questions).toHaveLength(2);
    expect(await page.evaluate(async () => (await fetch('/desk/api/session')).status)).toBe(401);
    // The test's own question after signing out, as the response and as the console's line about it.
    expect(errors.filter((e) => !/\/desk\/api\/session: 401$|status of 401 /.test(e))).toEqual([]);
    await page.context().close();
  });
});
