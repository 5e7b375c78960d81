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

const WRITER = 'writer@desk.test';
const SENDER = 'sender@desk.test';
/** A screenshot of the checks in Japanese, to look at. */
const SHOTS = '/tmp/desk-messages';

let desk: DeskApp;
let browser: Browser;

beforeAll(async () => {
  ensureDeskBundle();
  desk = await startDeskApp({ [WRITER]: ['writer'], [SENDER]: ['sender'] }, 1);
  browser = await launchChromium();
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await desk?.close();
});

/** A Japanese browser signed in as the writer (or `who`). */
async function signInJa(who = WRITER): Promise<{ page: Page; errors: string[] }> {
  const context = await browser.newContext({ locale: 'ja-JP', viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const errors = collectErrors(page);
  await page.goto(`${desk.origin}/desk/`);
  await page.getByLabel('メールアドレス').fill(who);
  await page.getByLabel('パスワード').fill(PASSWORD);
  await page.getByRole('button', { name: 'サインイン', exact: true }).click();
  return { page, errors };
}

describe.skipIf(!hasChromium)('the checks in the editor’s language (issue 18)', { timeout: 120_000 }, () => {
  it('a fresh scaffold lists its checks in Japanese, by place, and a place focuses its field', async () => {
    const { page, errors } = await signInJa();
    await page.getByRole('button', { name: 'No.203 から新しい号' }).click();
    await page.waitForURL(/\/issues\/204$/);
    const list = page.locator('section.workflow ul.checks').first();
    await list.locator('li').first().waitFor();
    const lines = await page.locator('section.workflow ul.checks li').allTextContents();
    expect(lines.length).toBeGreaterThan(3);
    for (const line of lines) {
      // No English word (the server's message) and no JSON path (`sections[0].articles[3]`); the
      // schemes a sentence names (http://) are not words.
      expect(line.replace(/https?:\/\//g, '')).not.toMatch(/[A-Za-z]{3,}/);
      expect(line).not.toMatch(/\[\d+\]|\w\.\w/);
    }
    expect(lines).toContain('エラー: セクション1・記事1のタイトル、要約1、リンク：まだ書かれていません');
    expect(lines).toContain(
      '警告: セクション1・記事4のリンク：http:// のリンクです。https:// をおすすめします',
    );

    // Each place is a button that scrolls to and focuses the field it names.
    await page.getByRole('button', { name: 'セクション1・記事1のタイトル、要約1、リンク' }).click();
    expect(await page.evaluate(() => document.activeElement?.getAttribute('name'))).toBe(
      'sections[0].articles[0].title',
    );
    await page.getByRole('button', { name: '件名', exact: true }).click();
    expect(await page.evaluate(() => document.activeElement?.getAttribute('name'))).toBe('subject');
    const inView = await page.evaluate(() => {
      const r = document.activeElement?.getBoundingClientRect();
      return r ? r.top >= 0 && r.bottom <= window.innerHeight : false;
    });
    expect(inView).toBe(true);
    await page.locator('section.workflow').scrollIntoViewIfNeeded();
    const figures: AxeFigures[] = [];
    await checkPage(page, 'checks-ja', figures, SHOTS);
    await page.close();
    expect(errors).toEqual([]);
  });

  it("the send page shows the server's refusal by its code, in Japanese, naming the field", async () => {
    const { page } = await signInJa(SENDER);
    await page.getByLabel('パスワード').waitFor({ state: 'detached' });
    await page.goto(`${desk.origin}/desk/issues/203/send`);
    await page.getByLabel('テストの宛先（カンマ区切り）').fill('not-an-address');
    const refused = page.waitForResponse((r) => r.url().endsWith('/desk/api/sends'));
    await page.getByRole('button', { name: 'テストを送る' }).click();
    const answer = await refused;
    expect(answer.status()).toBe(422);
    // The web app asks in its UI language, and the API answers in it beside the code.
    expect(answer.request().headers()['accept-language']).toBe('ja');
    const body = (await answer.json()) as { errors: { code: string; message: string }[] };
    expect(body.errors[0]?.code).toBe('email');
    expect(body.errors[0]?.message).toBe('メールアドレスを書いてください');
    const alert = page.locator('form.card p[role="alert"]');
    await alert.waitFor();
    expect(await alert.textContent()).toBe('テストの宛先1：メールアドレスを書いてください');
    await page.close();
  });
});
