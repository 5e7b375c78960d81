import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import en from '../../src/desk/web/i18n/desk-words.en.json' with { type: 'json' };
import { Issue } from '../../src/issue/schema.ts';
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
/** Screenshots of the pages checked here, to look at; only editor-768 goes to SHOTS_DIR (docs/desk on request). */
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

/** Schedules No.203 to `list` now through the send page; returns the send's id from the live page. */
async function schedule(page: Page, list: string): Promise<string> {
  await page.goto(`${desk.origin}/desk/issues/203/send`);
  await page.getByLabel('List').selectOption(list);
  await page.getByRole('button', { name: 'Review and schedule…' }).click();
  await page.getByText(`${READERS} readers of ${list}`).waitFor();
  const confirm = page.getByRole('button', { name: 'Confirm and schedule' });
  expect(
    await gapBetween(confirm, page.getByRole('button', { name: 'Cancel', exact: true })),
  ).toBeGreaterThanOrEqual(4);
  await confirm.click();
  await page.waitForURL(/\/desk\/sends\/[\w-]+$/);
  await page.getByRole('progressbar', { name: 'Progress' }).waitFor();
  return page.url().split('/').at(-1) ?? '';
}

// Words a label may hold in any language: names, units and formats.
const ANY_LANGUAGE = /^(Gazette|JSON|No\.\d+|HTML|URL|Gmail|px|KB|CSV|PNG|JPEG|WebP|alt|TODO)$/i;
/** The words of the English UI strings (not the issue's own text, which labels some groups). */
const ENGLISH = new Set(
  Object.values(en as Record<string, string>)
    .flatMap((v) => v.replace(/\{\w+\}/g, ' ').match(/[A-Za-z][\w.-]*/g) ?? [])
    .filter((w) => w.length > 1 && !ANY_LANGUAGE.test(w)),
);

/**
 * The main labels (headings, legends, field labels, buttons, tabs and column heads) of the page as
 * it is now that still hold words of the English UI strings.
 */
async function englishLabels(page: Page): Promise<string[]> {
  const texts = await page
    .locator(
      'main :is(h1, h2, legend, label > span:first-child, button, [role=tab], th[scope=col]), nav a, header button',
    )
    .allTextContents();
  return texts.filter((t) => (t.match(/[A-Za-z][\w.-]*/g) ?? []).some((w) => ENGLISH.has(w)));
}

/** The space in px between two controls side by side (negative when they overlap). */
async function gapBetween(left: Locator, right: Locator): Promise<number> {
  const [a, b] = [await left.boundingBox(), await right.boundingBox()];
  if (!a || !b) throw new Error('a control is not shown');
  return b.x - (a.x + a.width);
}

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
      expect(
        await gapBetween(
          panel.getByRole('button', { name: 'Keep mine' }),
          panel.getByRole('button', { name: 'Take theirs' }),
        ),
      ).toBeGreaterThanOrEqual(4);
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
      // Chromium logs each 409 answer as a failed resource: the two conflicts, and nothing else.
      const conflicts = errors.filter((e) =>
        /^PUT \S+\/desk\/api\/issues\/203: 409$|\/desk\/issues\/203: Failed to load resource: .* 409 \(Conflict\)$/.test(
          e,
        ),
      );
      expect(conflicts).toHaveLength(4);
      errors.splice(0, errors.length, ...errors.filter((e) => !conflicts.includes(e)));
    });

    it('restoring revision 1 from the history page saves it as a new revision', async () => {
      const page = await signIn(WRITER_A);
      await page.goto(`${desk.origin}/desk/issues/203/history`);
      await page.getByRole('heading', { name: 'History of No.203' }).waitFor();
      await page.getByLabel('Compare revision 1').check();
      await page.getByLabel('with revision 4').check();
      await page.getByRole('rowheader', { name: 'preheader' }).waitFor();
      await checkPage(page, 'history-restore', figures, SHOTS);
      // Bora saves while Anna looks: the restore is refused with a sentence, and nothing is overwritten.
      const bora = await stored();
      const edited = { ...bora.json, subject: 'Bora の三度目の件名' };
      expect((await desk.gazette.issues.update(Issue.parse(edited), edited, WRITER_B, 4)).status).toBe('ok');
      await page.getByRole('button', { name: 'Restore revision 1' }).click();
      await page
        .getByRole('alert')
        .filter({
          hasText:
            'Someone saved revision 5 while you were looking. Restore again to save revision 1 over it.',
        })
        .waitFor();
      await page.getByRole('rowheader', { name: '5', exact: true }).waitFor();
      expect([(await stored()).revision, (await stored()).json.subject]).toEqual([5, 'Bora の三度目の件名']);
      await page.getByRole('button', { name: 'Restore revision 1' }).click();
      await page.waitForURL(/\/desk\/issues\/203$/);
      await page.getByLabel('Subject', { exact: true }).waitFor();

      const first = await desk.gazette.issues.revision(203, 'ja', 1);
      const now = await stored();
      expect(now.revision).toBe(6);
      expect(now.json).toEqual(first);
      expect(now.json.subject).not.toBe('Bora の件名');
      const revisions = await desk.gazette.issues.revisions(203, 'ja');
      expect(revisions.map((r) => [r.revision, r.by])).toEqual([
        [1, 'import'],
        [2, WRITER_A],
        [3, WRITER_B],
        [4, WRITER_A],
        [5, WRITER_B],
        [6, WRITER_A],
      ]);
      // The editor shows the restored revision.
      expect(await page.getByLabel('Subject', { exact: true }).inputValue()).toBe(now.json.subject);
      await expect.poll(() => page.getByText('Revision 6').count()).toBeGreaterThan(0);
      await page.close();
      // Chromium logs the refused restore's 409 as a failed resource: that one, and nothing else.
      const refused = errors.filter((e) =>
        /^PUT \S+\/desk\/api\/issues\/203: 409$|\/desk\/issues\/203\/history: Failed to load resource: .* 409 \(Conflict\)$/.test(
          e,
        ),
      );
      expect(refused).toHaveLength(2);
      errors.splice(0, errors.length, ...errors.filter((e) => !refused.includes(e)));
    });

    it('a sender pauses, resumes and cancels live sends; a writer sees the send without the buttons', async () => {
      await addReaders(desk.gazette.subscribers, 'friends', READERS, { domain: 'example.net' });
      expect((await desk.gazette.issues.move(203, 'ja', 'approved', ['draft'])).status).toBe('ok');
      const page = await signIn(SENDER);
      membersSend = await schedule(page, 'members');
      const sends = desk.gazette.sends;
      await page.getByRole('button', { name: 'Pause' }).click();
      await page.getByRole('heading', { name: 'Paused' }).waitFor();
      const api = await page.request.get(`${desk.origin}/desk/api/sends/${membersSend}`);
      expect(((await api.json()) as { state: string }).state).toBe('paused');
      expect(await sends.state(membersSend)).toBe('paused');
      // Paused for real: after the batch in flight, nothing more goes out.
      await new Promise((r) => setTimeout(r, 1500));
      const held = (await sends.counts(membersSend)).delivered;
      await new Promise((r) => setTimeout(r, 2500));
      expect((await sends.counts(membersSend)).delivered).toBe(held);
      expect(held).toBeLessThan(READERS);
      await checkPage(page, 'send-paused', figures, SHOTS);
      expect(
        await gapBetween(
          page.getByRole('button', { name: 'Resume' }),
          page.getByRole('button', { name: 'Cancel the send' }),
        ),
      ).toBeGreaterThanOrEqual(4);

      const writer = await signIn(WRITER_A);
      await writer.goto(`${desk.origin}/desk/sends/${membersSend}`);
      await writer.getByRole('heading', { name: 'Paused' }).waitFor();
      await writer.getByRole('progressbar', { name: 'Progress' }).waitFor();
      for (const name of ['Pause', 'Resume', 'Cancel the send']) {
        expect(await writer.getByRole('button', { name }).count(), name).toBe(0);
      }
      await checkPage(writer, 'send-writer', figures, SHOTS);
      const refused = await writer.request.post(`${desk.origin}/desk/api/sends/${membersSend}/resume`);
      expect(refused.status()).toBe(403);
      await writer.close();

      await page.getByRole('button', { name: 'Resume' }).click();
      await page.getByRole('heading', { name: /^(Sending|Done)$/ }).waitFor();
      expect(await sends.state(membersSend)).not.toBe('paused');
      await page.getByRole('heading', { name: 'Done' }).waitFor({ timeout: 30_000 });
      expect((await sends.counts(membersSend)).delivered).toBe(READERS);
      const members = desk.sink.messages.flatMap((m) => m.to).filter((to) => to.endsWith('@example.org'));
      expect(new Set(members).size).toBe(READERS);

      const friendsSend = await schedule(page, 'friends');
      await page.getByRole('button', { name: 'Cancel the send' }).click();
      await page.getByRole('heading', { name: 'Cancelled' }).waitFor();
      expect(await sends.state(friendsSend)).toBe('cancelled');
      expect(await page.getByRole('button', { name: /^(Pause|Resume|Cancel the send)$/ }).count()).toBe(0);
      await new Promise((r) => setTimeout(r, 1500));
      const gone = (await sends.counts(friendsSend)).delivered;
      await new Promise((r) => setTimeout(r, 2500));
      expect((await sends.counts(friendsSend)).delivered).toBe(gone);
      expect(gone).toBeLessThan(READERS);
      await page.close();
    });

    it('a sent issue links to its sends; a send scheduled for later shows a countdown and moves', async () => {
      await addReaders(desk.gazette.subscribers, 'later', 2, { domain: 'example.com' });
      const page = await signIn(SENDER);
      await page.goto(`${desk.origin}/desk/issues/203/send`);
      await page.getByText('No.203 has been sent.', { exact: false }).waitFor();
      expect(await page.getByText('not been approved', { exact: false }).count()).toBe(0);
      await page.getByLabel('List').selectOption('later');
      const inAnHour = new Date(Date.now() + 3600_000 + 9 * 3600_000).toISOString().slice(0, 16);
      await page.getByLabel(/^Send at/).fill(inAnHour);
      await page.getByRole('button', { name: 'Review and schedule…' }).click();
      await page.getByRole('button', { name: 'Confirm and schedule' }).click();
      await page.waitForURL(/\/desk\/sends\/[\w-]+$/);
      const id = new URL(page.url()).pathname.split('/').at(-1) as string;
      await page.getByText(/^Goes out /).waitFor();
      await expect.poll(() => page.getByRole('timer').textContent()).toMatch(/^in (5\d:\d\d|1:00:00)$/);
      const inTwoHours = new Date(Date.now() + 7200_000 + 9 * 3600_000).toISOString().slice(0, 16);
      await page.getByLabel(/^New time/).fill(inTwoHours);
      await page.getByRole('button', { name: 'Move' }).click();
      await page.getByText(/^Moved to /).waitFor();
      const record = await desk.gazette.sends.get(id);
      expect(Math.abs((record?.at ?? 0) - Date.parse(`${inTwoHours}:00+09:00`))).toBeLessThan(1000);
      await expect.poll(() => page.getByRole('timer').textContent()).toMatch(/^in 1:5\d:\d\d$/);
      await checkPage(page, 'send-scheduled', figures, SHOTS);
      await page.getByRole('button', { name: 'Cancel the send' }).click();
      await page.getByRole('heading', { name: 'Cancelled' }).waitFor();

      await page.goto(`${desk.origin}/desk/issues/203`);
      await page.getByRole('link', { name: 'Sends and reports' }).click();
      const rows = page.locator('table.send-list tbody tr');
      await expect.poll(() => rows.count()).toBeGreaterThanOrEqual(3);
      expect(await rows.allTextContents()).toEqual(
        expect.arrayContaining([expect.stringContaining('No.203')]),
      );
      expect((await rows.allTextContents()).every((r) => r.includes('No.203'))).toBe(true);
      await page.close();
    });

    it('at 768 px the issues list, the editor and the report fit the width', async () => {
      const page = await signIn(WRITER_B);
      await page.setViewportSize({ width: 768, height: 1000 });
      await page.goto(`${desk.origin}/desk/`);
      await page.getByRole('link', { name: 'No.203' }).waitFor();
      expect(await scrollWidth(page)).toBeLessThanOrEqual(768);
      await checkPage(page, 'issues-768', figures, SHOTS);

      await openEditor(page, 203);
      await page.frameLocator('iframe[title="The mail at 600 px"]').locator('body').waitFor();
      expect(await scrollWidth(page)).toBeLessThanOrEqual(768);
      await checkPage(page, 'editor-768', figures);

      await page.goto(`${desk.origin}/desk/sends/${membersSend}`);
      await page.getByRole('heading', { name: 'Click map' }).waitFor({ timeout: 20_000 });
      expect(await scrollWidth(page)).toBeLessThanOrEqual(768);
      await checkPage(page, 'report-768', figures, SHOTS);
      await page.close();
    });

    it('in 日本語 the issues page and the editor are labelled in Japanese', async () => {
      const page = await signIn(WRITER_B);
      await page.getByRole('link', { name: 'No.203' }).waitFor();
      // The check finds the English labels it is meant to find before the switch.
      expect(await englishLabels(page)).toEqual(expect.arrayContaining(['Issues', 'Subject', 'Sign out']));
      await page.getByLabel('Language').selectOption({ label: '日本語' });
      await page.getByRole('heading', { name: '号の一覧' }).waitFor();
      expect(await page.evaluate(() => document.documentElement.lang)).toBe('ja');
      await page.getByRole('button', { name: 'No.203 から新しい号' }).waitFor();
      const heads = await page.locator('main table.issue-list th[scope="col"]').allTextContents();
      expect(heads).toEqual(['号', '月', '件名', '状態', '最終更新']);
      expect(await page.getByRole('navigation').getByRole('link').allTextContents()).toEqual([
        'Gazette',
        '号',
        '配信',
      ]);
      expect(await page.getByRole('button', { name: 'サインアウト' }).count()).toBe(1);
      expect(await englishLabels(page)).toEqual([]);
      await checkPage(page, 'issues-ja', figures, SHOTS);

      await page.getByRole('link', { name: 'No.203' }).click();
      await page.getByLabel('件名', { exact: true }).waitFor();
      await page.getByLabel('プリヘッダー', { exact: true }).waitFor();
      await page.getByRole('button', { name: '保存' }).waitFor();
      await page.getByRole('link', { name: '履歴' }).waitFor();
      await page.getByRole('group', { name: 'セクション' }).waitFor();
      expect(await page.getByLabel('Subject', { exact: true }).count()).toBe(0);
      expect(await englishLabels(page)).toEqual([]);
      await checkPage(page, 'editor-ja', figures, SHOTS);
      await page.close();
      expect(errors).toEqual([]);
    });
  },
);
