import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addReaders } from '../helpers/send-env.ts';
import { type DeskApp, PASSWORD, startDeskApp } from './desk-app.ts';
import {
  type AxeFigures,
  checkPage,
  collectErrors,
  ensureDeskBundle,
  hasChromium,
  launchChromium,
  pageWidth,
  signInJa as signInAt,
} from './desk-browser.ts';

const ADMIN = 'admin@desk.test';
/** A sender whose name is long enough to fill the top bar's row on a phone. */
const SENDER = 'kim.minji.sender@desk.test';
/** Screenshots of every page at 375 and 1280 px in Japanese, to look at (issue 18). */
const SHOTS = '/tmp/desk-phone';
const PHONE = { width: 375, height: 812 };

let desk: DeskApp;
let browser: Browser;
let sendId = '';
const figures: AxeFigures[] = [];
const widths: Record<string, number> = {};

beforeAll(async () => {
  ensureDeskBundle();
  desk = await startDeskApp({ [ADMIN]: ['admin'], [SENDER]: ['sender'] }, 3);
  browser = await launchChromium();
  // A finished send of No.203, so that the sends list and the report have something to show.
  expect((await desk.gazette.issues.move(203, 'ja', 'approved', ['draft'])).status).toBe('ok');
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await desk?.close();
  console.log(JSON.stringify({ widths, axe: figures }));
});

/** Fits 375 px (asserted), is axe-clean, and is saved as `<name>-375.png`. */
async function fitsPhone(page: Page, name: string): Promise<void> {
  // A chart is drawn to its box's width once the browser reports the new size (a ResizeObserver and a
  // render after the viewport shrinks): give it a few frames, as a person turning a phone would.
  await expect
    .poll(async () => (await pageWidth(page)).width, { timeout: 3000 })
    .toBeLessThanOrEqual(PHONE.width)
    .catch(() => undefined);
  const { width, wide } = await pageWidth(page);
  widths[name] = width;
  expect(width, `${name} at 375 px; sticking out: ${wide.join(', ')}`).toBeLessThanOrEqual(PHONE.width);
  await checkPage(page, `${name}-375`, figures, SHOTS);
}

/** The pages of the desk, each with what shows it is loaded. */
const PAGES: [string, string, (p: Page) => Promise<void>][] = [
  ['issues', '/desk/', (p) => p.getByRole('link', { name: 'No.203' }).waitFor()],
  ['editor', '/desk/issues/203', (p) => p.getByLabel('件名', { exact: true }).waitFor()],
  ['history', '/desk/issues/203/history', (p) => p.getByRole('heading', { name: 'No.203 の履歴' }).waitFor()],
  ['send', '/desk/issues/203/send', (p) => p.getByRole('heading', { level: 1 }).waitFor()],
  ['sends', '/desk/sends', (p) => p.locator('table.send-list tbody tr').first().waitFor()],
  [
    'report',
    '/desk/sends/:id',
    (p) => p.getByRole('heading', { name: 'クリックマップ' }).waitFor({ timeout: 20_000 }),
  ],
  ['lists', '/desk/lists', (p) => p.getByRole('rowheader', { name: 'members' }).waitFor()],
  ['subscribers', '/desk/subscribers', (p) => p.getByRole('table').getByRole('rowheader').first().waitFor()],
];

/** A Japanese browser at `viewport`, signed in as the admin. */
const signInJa = (viewport: { width: number; height: number }) =>
  signInAt(browser, desk.origin, ADMIN, PASSWORD, viewport);

describe.skipIf(!hasChromium)('the desk on a phone (375 px), in Japanese', { timeout: 120_000 }, () => {
  it('the sign-in page fits, and its heading breaks only between words', async () => {
    const context = await browser.newContext({ locale: 'ja-JP', viewport: PHONE });
    const page = await context.newPage();
    const errors = collectErrors(page);
    await page.goto(`${desk.origin}/desk/`);
    const heading = page.getByRole('heading', { name: 'Gazette デスクにサインイン' });
    await heading.waitFor();
    // Every character of 「サインイン」 on one line: it once broke as サイ / ンイン.
    const tops = await heading.evaluate((h) => {
      const text = h.firstChild as Text;
      const at = text.data.indexOf('サインイン');
      const range = document.createRange();
      const lines = new Set<number>();
      for (let i = at; i < at + 'サインイン'.length; i++) {
        range.setStart(text, i);
        range.setEnd(text, i + 1);
        lines.add(Math.round(range.getBoundingClientRect().top));
      }
      return [...lines];
    });
    expect(tops).toHaveLength(1);
    await fitsPhone(page, 'sign-in');
    await context.close();
    expect(errors).toEqual([]);
  });

  it('every signed-in page fits 375 px and is axe-clean; the editor’s preview is a tab', async () => {
    const { page, errors } = await signInJa({ width: 1280, height: 900 });
    const made = await page.request.post(`${desk.origin}/desk/api/sends`, {
      data: { issue: 203, list: 'members' },
      headers: { origin: desk.origin },
    });
    expect(made.status()).toBe(201);
    sendId = ((await made.json()) as { id: string }).id;
    await expect.poll(() => desk.gazette.sends.state(sendId), { timeout: 30_000 }).toBe('done');

    for (const [name, path, loaded] of PAGES) {
      await page.setViewportSize({ width: 1280, height: 900 });
      await page.goto(`${desk.origin}${path.replace(':id', sendId)}`);
      await loaded(page);
      await page.screenshot({ path: `${SHOTS}/${name}-1280.png` });
      await page.setViewportSize(PHONE);
      await loaded(page);
      await fitsPhone(page, name);
    }

    // The editor on a phone: the form, then the preview as its own tab, each fitting the width.
    await page.goto(`${desk.origin}/desk/issues/203`);
    await page.getByLabel('件名', { exact: true }).waitFor();
    expect(await page.locator('iframe').count()).toBe(0);
    await page.getByRole('tab', { name: 'プレビュー' }).click();
    await page.frameLocator('iframe').locator('body').waitFor();
    expect(await page.getByLabel('件名', { exact: true }).isVisible()).toBe(false);
    await fitsPhone(page, 'editor-preview');
    await page.getByRole('tab', { name: 'フォーム' }).click();
    await page.getByLabel('件名', { exact: true }).waitFor();
    await page.close();
    expect(errors).toEqual([]);
  });

  it('a send watched on a phone from scheduled to done: its chart fits 375 px once the first minute comes', async () => {
    await addReaders(desk.gazette.subscribers, 'club', 2, { domain: 'club.example.org' });
    const { page, errors } = await signInAt(browser, desk.origin, SENDER, PASSWORD, PHONE);
    const made = await page.request.post(`${desk.origin}/desk/api/sends`, {
      data: { issue: 203, list: 'club', at: new Date(Date.now() + 5_000).toISOString() },
      headers: { origin: desk.origin },
    });
    expect(made.status(), await made.text()).toBe(201);
    const { id } = (await made.json()) as { id: string };
    // The page opens while there is nothing to draw yet, and stays open through the send.
    await page.goto(`${desk.origin}/desk/sends/${id}`);
    await page.getByRole('timer').waitFor();
    await page.getByRole('heading', { name: '完了' }).waitFor({ timeout: 60_000 });
    await page.locator('figure.chart svg').waitFor();
    await fitsPhone(page, 'send-watched');
    // The top bar wraps between its items: the sign-out button and the language label keep one line.
    const lines = await page.locator('.top').evaluate((top) =>
      [...top.querySelectorAll('button, .locale > span')].map((el) => {
        const range = document.createRange();
        range.selectNodeContents(el);
        return [el.textContent, new Set([...range.getClientRects()].map((r) => Math.round(r.top))).size];
      }),
    );
    expect(lines).toEqual([
      ['言語', 1],
      ['サインアウト', 1],
    ]);
    await page.close();
    expect(errors).toEqual([]);
  });

  it('removing a section asks first; an empty alt text says so at its field', async () => {
    const { page, errors } = await signInJa(PHONE);
    await page.goto(`${desk.origin}/desk/issues/203`);
    await page.getByLabel('件名', { exact: true }).waitFor();
    const sections = page.locator('fieldset.section');
    const before = await sections.count();
    const title = (await sections.first().locator('legend').first().textContent()) ?? '';
    const asked: string[] = [];
    page.removeAllListeners('dialog');
    page.once('dialog', (d) => {
      asked.push(d.message());
      void d.dismiss();
    });
    await sections
      .first()
      .getByRole('button', { name: `削除 ${title}` })
      .click();
    expect(asked).toEqual([expect.stringContaining(`「${title}」を削除しますか`)]);
    expect(await sections.count()).toBe(before);
    page.once('dialog', (d) => void d.accept());
    await sections
      .first()
      .getByRole('button', { name: `削除 ${title}` })
      .click();
    await expect.poll(() => sections.count()).toBe(before - 1);

    const alt = page.getByLabel('代替テキスト').first();
    await alt.fill('');
    const said = page.getByText('代替テキストが空です。', { exact: false }).first();
    await said.waitFor();
    // The message is the field's description, so a screen reader says it at the field.
    const describedBy = (await alt.getAttribute('aria-describedby')) ?? '';
    expect(describedBy).toContain((await said.getAttribute('id')) ?? '-');
    await said.scrollIntoViewIfNeeded();
    await checkPage(page, 'editor-alt-375', figures, SHOTS);
    await page.close();
    expect(errors).toEqual([]);
  });
});
