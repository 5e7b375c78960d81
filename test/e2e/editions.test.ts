import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Issue } from '../../src/issue/schema.ts';
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
const SHOTS = '/tmp/desk-editions';

let desk: DeskApp;
let browser: Browser;
const figures: AxeFigures[] = [];

beforeAll(async () => {
  ensureDeskBundle();
  desk = await startDeskApp({ [EDITOR]: ['writer', 'editor', 'sender'] }, 1);
  browser = await launchChromium();
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await desk?.close();
});

/** The translator's field of a JSON path: the default text above it, the input, the flags. */
const field = (page: Page, path: string) => page.locator(`.translation-field[data-path="${path}"]`);

describe.skipIf(!hasChromium)('an English edition in a Japanese desk (issue 20)', () => {
  it('adds the edition, shows the default text beside each field, flags what is untranslated, approves', async () => {
    const { page, errors } = await signInJa(browser, desk.origin, EDITOR, PASSWORD, {
      width: 1280,
      height: 900,
    });
    const subject = (await desk.gazette.issues.get(203, 'ja'))?.subject ?? '';
    expect(subject).not.toBe('');

    await page.goto(`${desk.origin}/desk/issues/203`);
    const editions = page.getByRole('region', { name: '言語版' });
    await editions.locator('li[data-locale="en"]').getByText('未作成').waitFor();
    await editions.getByRole('button', { name: '英語版を追加' }).click();

    // The translator's view: the Japanese subject beside the empty English one, flagged.
    await page.waitForURL(/\/desk\/issues\/203\/editions\/en$/);
    const subjectField = field(page, 'subject');
    await subjectField.locator('.source-text').getByText(subject).waitFor();
    expect(await subjectField.locator('input').inputValue()).toBe('');
    await subjectField.locator('.flag-untranslated').getByText('未翻訳').waitFor();
    await checkPage(page, 'edition-translator-ja', figures, SHOTS);
    // A translator on a phone: the view fits 375 px.
    await page.setViewportSize({ width: 375, height: 800 });
    const { width, wide } = await pageWidth(page);
    expect(width, `sticking out: ${wide.join(', ')}`).toBeLessThanOrEqual(375);
    await checkPage(page, 'edition-translator-ja-375', figures, SHOTS);
    await page.setViewportSize({ width: 1280, height: 900 });

    await subjectField.locator('input').fill('No.203: Seoul in English');
    expect(await subjectField.locator('.flag-untranslated').count()).toBe(0);

    // Every other text translated too (the checks refuse approval while one is empty).
    const empty = page.locator('.translation-field.untranslated');
    while ((await empty.count()) > 0) {
      const next = empty.first();
      const path = await next.getAttribute('data-path');
      await next.locator('input, textarea').fill(`EN ${path}`);
    }
    await page.getByRole('button', { name: '保存', exact: true }).click();
    await page.getByText('未翻訳の文があと0件あります。').waitFor();
    await page.getByRole('button', { name: 'レビューを依頼' }).click();
    await page.getByRole('button', { name: '承認', exact: true }).click();
    await page.locator('h1').getByText('承認済み').waitFor();
    expect(await field(page, 'subject').locator('input').inputValue()).toBe('No.203: Seoul in English');

    // The issue page lists the English edition as approved; the stored edition is the translation.
    await page.goto(`${desk.origin}/desk/issues/203`);
    await editions.locator('li[data-locale="en"]').getByText('承認済み').waitFor();
    const stored = await desk.gazette.issues.get(203, 'en');
    expect(stored?.state).toBe('approved');
    expect((stored?.json as { subject?: string } | undefined)?.subject).toBe('No.203: Seoul in English');

    // A Korean edition in draft, the default edition approved: the send page says what goes and what not.
    await editions.getByRole('button', { name: '韓国語版を追加' }).click();
    await page.waitForURL(/\/editions\/ko$/);
    await desk.gazette.issues.move(203, 'ja', 'approved', ['draft', 'in_review']);
    await page.goto(`${desk.origin}/desk/issues/203/send`);
    await page.getByTestId('editions-going').getByText('この配信に含まれる言語版：日本語, 英語').waitFor();
    await page
      .getByTestId('editions-left-out')
      .getByText('承認されていないため含まれない言語版：韓国語')
      .waitFor();
    await checkPage(page, 'edition-send-ja', figures, SHOTS);

    // The default edition's subject changes: the translator's view flags that field, and only it.
    const ja = await desk.gazette.issues.get(203, 'ja');
    const changed = { ...(ja?.json as Issue), subject: `${subject} (改訂)` };
    await desk.gazette.issues.update(Issue.parse(changed), changed, EDITOR, ja?.revision ?? 0);
    await page.goto(`${desk.origin}/desk/issues/203/editions/en`);
    await field(page, 'subject').locator('.flag-changed').getByText(subject).waitFor();
    expect(await page.locator('.flag-changed').count()).toBe(1);
    expect(errors).toEqual([]);
  }, 120_000);
});
