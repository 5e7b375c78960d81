import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { addReaders } from '../helpers/send-env.ts';
import { type DeskApp, PASSWORD, startDeskApp } from './desk-app.ts';
import {
  type AxeFigures,
  checkPage,
  ensureDeskBundle,
  hasChromium,
  launchChromium,
  signIn as signInAs,
} from './desk-browser.ts';

const WRITER_A = 'anna@desk.test';
const WRITER_B = 'bora@desk.test';
const SENDER = 'sender@desk.test';
/** Screenshots of the pages checked here, to look at; only editor-768 goes to docs/desk. */
const SHOTS = '/tmp/desk-edges';
const READERS = 40;

let desk: DeskApp;
let browser: Browser;
const figures: AxeFigures[] = [];
const errors: string[] = [];
const pages: Page[] = [];
let membersSend = '';

afterEach(async (ctx) => {
  const page = pages.at(-1);
  if (ctx.task.result?.state === 'fail' && page && !page.isClosed()) {
    await page.screenshot({ path: `${SHOTS}/fail-${ctx.task.name.slice(0, 12).replace(/\W/g, '-')}.png` });
  }
});

beforeAll(async () => {
  ensureDeskBundle();
  // At 5 messages a second in batches of 10, the 40 readers take about 8 s: long enough to watch.
  desk = await startDeskApp(
    { [WRITER_A]: ['writer'], [WRITER_B]: ['writer'], [SENDER]: ['sender'] },
    READERS,
    { SEND_RATE: '5' },
  );
  browser = await launchChromium();
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await desk?.close();
  console.log(JSON.stringify({ axe: figures }));
});

/** A fresh browser context signed in as `email`, its console errors kept for the last check. */
async function signIn(email: string): Promise<Page> {
  const { page, errors: seen } = await signInAs(browser, desk.origin, email, PASSWORD);
  page.on('close', () => errors.push(...seen));
  // Restoring a revision and cancelling a send ask first; the person says yes.
  page.on('dialog', (d) => void d.accept());
  pages.push(page);
  return page;
}

async function openEditor(page: Page, n: number): Promise<void> {
  await page.goto(`${desk.origin}/desk/issues/${n}`);
  await page.getByLabel('Subject', { exact: true }).waitFor();
}

const stored = async () => {
  const s = await desk.gazette.issues.get(203, 'ja');
  if (!s) throw new Error('issue 203 is gone');
  return s as typeof s & { json: { subject: string; preheader?: string } };
};

const scrollWidth = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth);

describe.skipIf(!hasChromium)(
  'the desk in Chromium: conflicts, history, live sends, 768 px, 日本語',
  { timeout: 60_000 },
  () => {
    it('two writers save the same issue: the second sees what changed and keeps theirs, or takes the other', async () => {
      const a = await signIn(WRITER_A);
      const b = await signIn(WRITER_B);
      await openEditor(a, 203);
      await openEditor(b, 203);
      const before = await stored();
      expect(before.revision).toBe(1);

      await a.getByLabel('Subject', { exact: true }).fill('Anna の件名');
      await a.getByRole('button', { name: 'Save' }).click();
      await a.getByText('Saved.').waitFor();
      expect((await stored()).revision).toBe(2);

      await b.getByLabel('Subject', { exact: true }).fill('Bora の件名');
      await b.getByRole('button', { name: 'Save' }).click();
      const panel = b.getByRole('alertdialog', { name: 'Someone saved revision 2 while you were editing' });
      await panel.waitFor();
      const row = panel.getByRole('row', { name: /^subject / });
      expect(await row.getByRole('cell').allTextContents()).toEqual(['Bora の件名', 'Anna の件名']);
      expect(await panel.getByRole('rowheader').allTextContents()).toEqual(['subject']);
      await checkPage(b, 'conflict', figures, SHOTS);
      // Nothing was saved over Anna's revision while the panel waits for a choice.
      expect((await stored()).revision).toBe(2);

      await panel.getByRole('button', { name: 'Keep mine' }).click();
      await b.getByText('Saved.').waitFor();
      await panel.waitFor({ state: 'detached' });
      const kept = await stored();
      expect([kept.revision, kept.updatedBy, kept.json.subject]).toEqual([3, WRITER_B, 'Bora の件名']);

      // Anna, still on revision 2, edits another field and saves: she takes Bora's version instead.
      await a.getByLabel('Preheader', { exact: true }).fill('Anna のプリヘッダー');
      await a.getByRole('button', { name: 'Save' }).click();
      const other = a.getByRole('alertdialog', { name: 'Someone saved revision 3 while you were editing' });
      await other.waitFor();
      expect(await other.getByRole('rowheader').allTextContents()).toEqual(['subject', 'preheader']);
      await other.getByRole('button', { name: 'Take theirs' }).click();
      await other.waitFor({ state: 'detached' });
      expect(await a.getByLabel('Subject', { exact: true }).inputValue()).toBe('Bora の件名');
      expect(await a.getByLabel('Preheader', { exact: true }).inputValue()).toBe(before.json.preheader);
      expect(await a.getByRole('button', { name: 'Save' }).isDisabled()).toBe(true);
      const taken = await stored();
      expect([taken.revision, taken.json.subject]).toEqual([3, 'Bora の件名']);

      // Her editor is now on revision 3: her next save goes through.
      await a.getByLabel('Preheader', { exact: true }).fill('Anna の二度目のプリヘッダー');
      await a.getByRole('button', { name: 'Save' }).click();
      await a.getByText('Saved.').waitFor();
      const after = await stored();
      expect([after.revision, after.updatedBy, after.json.subject, after.json.preheader]).toEqual([
        4,
        WRITER_A,
        'Bora の件名',
        'Anna の二度目のプリヘッダー',
      ]);
      await b.close();
      await a.close();
    });

    it('restoring revision 1 from the history page saves it as a new revision', async () => {
      const page = await signIn(WRITER_A);
      await page.goto(`${desk.origin}/desk/issues/203/history`);
      await page.getByRole('heading', { name: 'History of No.203' }).waitFor();
      await page.getByLabel('Compare revision 1').check();
      await page.getByLabel('with revision 4').check();
      await page.getByRole('rowheader', { name: 'preheader' }).waitFor();
      await checkPage(page, 'history-restore', figures, SHOTS);
      await page.getByRole('button', { name: 'Restore revision 1' }).click();
      await page.waitForURL(/\/desk\/issues\/203$/);
      await page.getByLabel('Subject', { exact: true }).waitFor();

      const first = await desk.gazette.issues.revision(203, 'ja', 1);
      const now = await stored();
      expect(now.revision).toBe(5);
      expect(now.json).toEqual(first);
      expect(now.json.subject).not.toBe('Bora の件名');
      const revisions = await desk.gazette.issues.revisions(203, 'ja');
      expect(revisions.map((r) => [r.revision, r.by])).toEqual([
        [1, 'import'],
        [2, WRITER_A],
        [3, WRITER_B],
        [4, WRITER_A],
        [5, WRITER_A],
      ]);
      // The editor shows the restored revision.
      expect(await page.getByLabel('Subject', { exact: true }).inputValue()).toBe(now.json.subject);
      await expect.poll(() => page.getByText('Revision 5').count()).toBeGreaterThan(0);
      await page.close();
    });
  },
);
