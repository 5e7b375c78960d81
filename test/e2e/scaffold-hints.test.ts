import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DeskApp, PASSWORD, startDeskApp } from './desk-app.ts';
import { ensureDeskBundle, hasChromium, launchChromium, signInJa } from './desk-browser.ts';

const WRITER = 'writer@desk.test';

let desk: DeskApp;
let browser: Browser;

beforeAll(async () => {
  ensureDeskBundle();
  desk = await startDeskApp({ [WRITER]: ['writer'] }, 1);
  browser = await launchChromium();
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await desk?.close();
});

describe.skipIf(!hasChromium)('a fresh scaffold in the desk (issue 18)', { timeout: 120_000 }, () => {
  it('shows empty fields with hints in Japanese, no [[TODO]], and the mail as an inbox line', async () => {
    const { page, errors } = await signInJa(browser, desk.origin, WRITER, PASSWORD, {
      width: 1280,
      height: 900,
    });
    await page.getByRole('button', { name: 'No.203 から新しい号' }).click();
    await page.waitForURL(/\/issues\/204$/);
    const subject = page.locator('input[name="subject"]');
    await subject.waitFor();
    expect(await subject.inputValue()).toBe('');
    expect(await subject.getAttribute('placeholder')).toBe('件名を入力');
    const title = page.locator('input[name="sections[0].articles[0].title"]');
    expect(await title.inputValue()).toBe('');
    expect(await title.getAttribute('placeholder')).toBe('記事のタイトルを入力');
    expect(await page.locator('textarea[name="lead.summary"]').getAttribute('placeholder')).toBe(
      '記事の要約を入力（段落の間は空行）',
    );
    expect(await page.locator('input[name="lead.url"]').inputValue()).toBe('');
    // Nothing on the page shows the mark, in text or in a field.
    expect(await page.locator('body').innerText()).not.toContain('[[TODO]]');
    const values = await page
      .locator('input, textarea')
      .evaluateAll((els) => els.map((e) => (e as HTMLInputElement).value));
    expect(values.filter((v) => v.includes('[[TODO]]'))).toEqual([]);
    // The checks still say what is missing.
    const lines = await page.locator('section.workflow ul.checks li').allTextContents();
    expect(lines.some((l) => l.includes('件名') && l.includes('まだ書かれていません'))).toBe(true);

    // The inbox line: sender, the subject's hint until it is written, then subject and preheader.
    const inbox = page.getByTestId('inbox-line');
    expect(await inbox.innerText()).toContain('Gazette Test');
    expect(await inbox.locator('.inbox-subject').innerText()).toBe('件名を入力');
    await subject.fill('ソウルの冬 No.204');
    await page.locator('input[name="preheader"]').fill('今月のおすすめ');
    expect(await inbox.locator('.inbox-subject').innerText()).toBe('ソウルの冬 No.204');
    expect(await inbox.locator('.inbox-preheader').innerText()).toContain('今月のおすすめ');
    const cut = await inbox
      .locator('.inbox-text')
      .evaluate((e) => [getComputedStyle(e).whiteSpace, getComputedStyle(e).textOverflow]);
    expect(cut).toEqual(['nowrap', 'ellipsis']);
    // Emptying a written field brings the hint back, and the draft stays valid (it stores the mark).
    await subject.fill('');
    expect(await subject.inputValue()).toBe('');
    expect(await inbox.locator('.inbox-subject').innerText()).toBe('件名を入力');
    expect(await page.locator('[name="subject"][aria-invalid="true"]').count()).toBe(0);
    // A half-written draft saves: the empty required fields are the checks' business, not the browser's.
    await page.locator('input[name="preheader"]').fill('今月のおすすめ、二行目');
    await page.getByRole('button', { name: '保存', exact: true }).click();
    await page.getByText('保存しました。').waitFor();
    await expect.poll(async () => (await desk.gazette.issues.get(204, 'ja'))?.revision).toBe(2);

    // Each image still to be chosen is a grey box in the preview, its text empty.
    const frame = page.frameLocator('iframe.mail-frame');
    await frame.locator('img').first().waitFor();
    const srcs = await frame.locator('img').evaluateAll((els) => els.map((e) => e.getAttribute('src') ?? ''));
    expect(srcs.filter((s) => s.startsWith('data:image/svg+xml,')).length).toBeGreaterThan(0);
    expect(await frame.locator('body').innerText()).not.toContain('[[TODO]]');
    await page.close();
    expect(errors).toEqual([]);
  });
});
