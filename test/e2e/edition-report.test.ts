import { simpleParser } from 'mailparser';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TRAP_LINK } from '../../src/compose/compiled.ts';
import { Issue } from '../../src/issue/schema.ts';
import { addReaders } from '../helpers/send-env.ts';
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

const EDITOR = 'mina@desk.test';
const SHOTS = '/tmp/desk-edition-report';
const EN_LEAD = 'CAC Global Summit 2020 held online';

let desk: DeskApp;
let browser: Browser;
const figures: AxeFigures[] = [];

beforeAll(async () => {
  ensureDeskBundle();
  // Two Japanese readers (reader0, reader1@example.org) and one English one.
  desk = await startDeskApp({ [EDITOR]: ['writer', 'editor', 'sender'] }, 2);
  await addReaders(desk.gazette.subscribers, 'members', 1, { domain: 'en.example.org', locale: 'en' });
  const ja = await desk.gazette.issues.get(203, 'ja');
  const en = structuredClone(ja?.json) as Record<string, unknown> & { lead: { title: string } };
  en.locale = 'en';
  en.subject = 'No.203 in English';
  en.lead.title = EN_LEAD;
  expect((await desk.gazette.issues.create(Issue.parse(en), en, EDITOR)).status).toBe('ok');
  for (const locale of ['ja', 'en']) {
    expect((await desk.gazette.issues.move(203, locale, 'approved', ['draft', 'in_review'])).status).toBe(
      'ok',
    );
  }
  browser = await launchChromium();
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await desk?.close();
});

/** The first tracked link (not the trap) of the message sent to `to`. */
async function trackedLink(to: string): Promise<string> {
  const message = desk.sink.messages.find((m) => m.to.includes(to));
  const html = String((await simpleParser(message?.raw ?? '')).html);
  const links = (html.match(new RegExp(`${desk.origin}/c/[\\w.~-]+`, 'g')) ?? []).filter(
    (url) => !url.includes(`.${TRAP_LINK}.`),
  );
  expect(links.length, `tracked links in the mail to ${to}`).toBeGreaterThan(0);
  return links[0] as string;
}

describe.skipIf(!hasChromium)('the report of a send in two editions, in a Japanese desk (issue 20)', () => {
  it('sends ja and en, then shows each edition side by side (cards on a phone) and its click map', async () => {
    const { page, errors } = await signInJa(browser, desk.origin, EDITOR, PASSWORD, {
      width: 1280,
      height: 900,
    });
    await page.goto(`${desk.origin}/desk/issues/203/send`);
    await page.getByTestId('editions-going').getByText('この配信に含まれる言語版：日本語, 英語').waitFor();
    await page.getByRole('button', { name: '確認して予約…' }).click();
    await page.getByRole('button', { name: '確定して予約' }).click();
    await page.waitForURL(/\/desk\/sends\/[\w-]+$/);
    await page.getByRole('heading', { name: '完了' }).waitFor({ timeout: 60_000 });
    const received = desk.sink.messages.flatMap((m) => m.to);
    expect(received.filter((to) => to.endsWith('example.org')).sort()).toEqual([
      'reader0@en.example.org',
      'reader0@example.org',
      'reader1@example.org',
    ]);

    // One reader of each edition clicks a link in their mail.
    for (const to of ['reader0@example.org', 'reader0@en.example.org']) {
      expect((await fetch(await trackedLink(to), { redirect: 'manual' })).status).toBe(302);
    }
    await page.reload();

    const editions = page.getByRole('region', { name: '言語版' });
    const ja = editions.locator('.edition-column[data-locale="ja"]');
    const en = editions.locator('.edition-column[data-locale="en"]');
    await ja.getByRole('heading', { name: '日本語' }).waitFor({ timeout: 20_000 });
    await en.getByRole('heading', { name: '英語' }).waitFor();
    /** An edition's figure under the term `term` (配信済み…). */
    const figure = (column: typeof ja, term: string) =>
      column
        .locator('dl > div')
        .filter({ has: page.getByText(term, { exact: true }) })
        .locator('dd');
    await expect.poll(() => figure(en, 'クリックした読者').textContent(), { timeout: 20_000 }).toBe('1');
    expect(await figure(ja, '配信済み').textContent()).toBe('2');
    expect(await figure(en, '配信済み').textContent()).toBe('1');
    expect(await figure(ja, '失敗').textContent()).toBe('0');
    expect(await figure(ja, 'バウンス').textContent()).toBe('0');
    expect(await figure(ja, 'クリックした読者').textContent()).toBe('1');
    expect(await figure(ja, 'クリック率').textContent()).toMatch(/^50(\.0)?%$/);
    expect(await figure(en, 'クリック率').textContent()).toMatch(/^100(\.0)?%$/);
    // Side by side on a wide screen: same top, English to the right.
    const [jaBox, enBox] = [await ja.boundingBox(), await en.boundingBox()];
    expect(enBox?.y).toBe(jaBox?.y);
    expect(enBox?.x ?? 0).toBeGreaterThan((jaBox?.x ?? 0) + (jaBox?.width ?? 0) - 1);

    // The click map draws the Japanese edition, then the English one, each with its own readers' shares.
    const map = page.getByRole('region', { name: 'クリックマップ' });
    await map
      .getByText('地図にはこの言語版の読者がリンクごとにクリックした割合を表示します。', { exact: false })
      .waitFor();
    const editionColumn = async () =>
      (await map.locator('table tbody tr td:last-child').allTextContents()).reduce(
        (a, b) => a + Number(b),
        0,
      );
    // One Japanese reader clicked: the column of this edition's readers adds up to 1.
    expect(await editionColumn()).toBe(1);
    const frame = page.frameLocator('iframe[title="リンクごとのクリックの割合を示した号"]');
    await frame.locator('[data-share]').first().waitFor({ timeout: 20_000 });
    expect(await frame.getByText(EN_LEAD).count()).toBe(0);
    await map.getByLabel('表示する言語版').selectOption('en');
    await frame.getByText(EN_LEAD).first().waitFor({ timeout: 20_000 });
    await frame.locator('[data-share]').first().waitFor({ timeout: 20_000 });
    expect(await frame.locator('[data-share]').count()).toBe(await map.locator('table tbody tr').count());
    await expect.poll(editionColumn).toBe(1);
    // The screenshots show the editions.
    await editions.scrollIntoViewIfNeeded();
    await checkPage(page, 'edition-report-ja', figures, SHOTS);

    // On a phone: the editions under each other, nothing sticking out.
    await page.setViewportSize({ width: 375, height: 800 });
    const [jaPhone, enPhone] = [await ja.boundingBox(), await en.boundingBox()];
    expect(enPhone?.y ?? 0).toBeGreaterThan((jaPhone?.y ?? 0) + (jaPhone?.height ?? 0) - 1);
    const { width, wide } = await pageWidth(page);
    expect(width, `sticking out: ${wide.join(', ')}`).toBeLessThanOrEqual(375);
    await editions.scrollIntoViewIfNeeded();
    await checkPage(page, 'edition-report-ja-375', figures, SHOTS);
    expect(errors).toEqual([]);
  }, 180_000);
});
