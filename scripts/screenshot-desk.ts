/**
 * Walks a Japanese editor's month through the desk in Chromium (locale ja-JP), at 1280 px and again at
 * 375 px, and saves a full-page screenshot of each step to `<out>/<width>/<nn>-<step>.png`: sign in,
 * issues, a new issue from the previous one, a field and the preview following it, the checks, review
 * (changes requested, fixed, approved), a scheduled send moved and run by the worker, its report with
 * the click map, the lists page and a subscriber. It prints the milliseconds from each action to the
 * page showing its result, then what it found on the pages it saw: ASCII words an editor would have to
 * read in English, JSON paths, and pages wider than the screen. Findings are printed, never fatal.
 * Needs `npm run build` (the desk bundle) and Redis; the desk runs on a key prefix of its own, deleted
 * at the end. Usage: npm run screenshot:desk [-- --out DIR] [--width 1280|375]
 */
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { simpleParser } from 'mailparser';
import type { Browser, Page } from 'playwright-core';
import { TRAP_LINK } from '../src/compose/compiled.ts';
import { isoToSeoul } from '../src/desk/web/seoul-time.ts';
import { Issue } from '../src/issue/schema.ts';
import { type DeskApp, PASSWORD, startDeskApp } from '../test/e2e/desk-app.ts';
import { ensureDeskBundle, launchChromium, pageWidth, signInJa } from '../test/e2e/desk-browser.ts';

const { values } = parseArgs({ options: { out: { type: 'string' }, width: { type: 'string' } } });
const outDir = values.out ?? 'dist/desk-tour';
const VIEWPORTS = [
  { width: 1280, height: 900 },
  { width: 375, height: 812 },
].filter((v) => !values.width || String(v.width) === values.width);
const WRITER = 'writer@desk.test';
const EDITOR = 'editor@desk.test';
const SENDER = 'sender@desk.test';
const ADMIN = 'admin@desk.test';

/** Words an editor may meet in Latin letters: the product, the newsletter's name, file formats. */
const ALLOWED = new Set([
  'Gazette',
  'SEOUL',
  'No',
  'PNG',
  'JPEG',
  'URL',
  'CSV',
  'HTML',
  'Gmail',
  'KB',
  'Asia',
  'Seoul',
]);

interface Step {
  width: number;
  n: number;
  name: string;
  ms: number;
  file: string;
}
interface Finding {
  width: number;
  step: string;
  what: string;
}
const steps: Step[] = [];
const findings: Finding[] = [];

/** What an editor reads on the page, minus addresses and links, and the document's width. */
async function survey(page: Page, width: number, step: string): Promise<void> {
  // The shown text outside form controls (their values are the issue's, the language menu names each
  // language in its own words) and the signed-in user's name, which is an account's, not the desk's.
  const text = await page.evaluate(() => {
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    const parts: string[] = [];
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const parent = node.parentElement;
      if (!parent || parent.closest('select, textarea, script, style, .who > a')) continue;
      if (parent.checkVisibility()) parts.push(node.textContent ?? '');
    }
    return parts.join(' ');
  });
  const plain = text.replace(/\S+@\S+/g, ' ').replace(/https?:\/\/\S+/g, ' ');
  const words = new Set((plain.match(/\b[A-Za-z][A-Za-z-]{2,}\b/g) ?? []).filter((w) => !ALLOWED.has(w)));
  if (words.size) findings.push({ width, step, what: `English/ASCII words: ${[...words].join(', ')}` });
  const paths = new Set(plain.match(/\w+\[\d+\]|\.\w+\[/g) ?? []);
  if (paths.size) findings.push({ width, step, what: `JSON paths: ${[...paths].join(', ')}` });
  const wide = await pageWidth(page);
  if (wide.width > width)
    findings.push({ width, step, what: `scrollWidth ${wide.width} > ${width}: ${wide.wide.join(', ')}` });
}

/** Runs `action`, times it until `shown` resolves, then saves the page and surveys it. */
function stepper(width: number) {
  let n = 0;
  return async (page: Page, name: string, action: () => Promise<unknown>, shown: () => Promise<unknown>) => {
    const started = performance.now();
    try {
      await action();
      await shown();
    } catch (e) {
      await page.screenshot({ path: join(outDir, String(width), `failed-${name}.png`), fullPage: true });
      throw new Error(`${name}: ${(e as Error).message.split('\n')[0]}`);
    }
    const ms = Math.round(performance.now() - started);
    n += 1;
    const file = join(outDir, String(width), `${String(n).padStart(2, '0')}-${name}.png`);
    await page.screenshot({ path: file, fullPage: true });
    await survey(page, width, name);
    steps.push({ width, n, name, ms, file });
    console.log(`${width}px  ${String(n).padStart(2, '0')} ${name.padEnd(22)} ${String(ms).padStart(6)} ms`);
  };
}

async function signedIn(
  browser: Browser,
  desk: DeskApp,
  email: string,
  viewport: { width: number; height: number },
) {
  return (await signInJa(browser, desk.origin, email, PASSWORD, viewport)).page;
}

/** One month at one width: the issue after the latest, from draft to report, then lists and a person. */
async function walk(
  browser: Browser,
  desk: DeskApp,
  viewport: { width: number; height: number },
): Promise<void> {
  const { width } = viewport;
  const step = stepper(width);
  const phone = width < 600;
  const prev = (await desk.gazette.issues.list('ja')).map((h) => h.number).sort((a, b) => b - a)[0] ?? 0;
  const n = prev + 1;
  const title = `ソウルの夏、${n}号の新しい見出し`;

  const writer = await browser.newPage({ locale: 'ja-JP', viewport });
  writer.on('dialog', (d) => void d.dismiss());
  await step(
    writer,
    'sign-in-form',
    () => writer.goto(`${desk.origin}/desk/`),
    () => writer.getByLabel('パスワード').waitFor(),
  );
  await step(
    writer,
    'issues',
    async () => {
      await writer.getByLabel('メールアドレス').fill(WRITER);
      await writer.getByLabel('パスワード').fill(PASSWORD);
      await writer.getByRole('button', { name: 'サインイン' }).click();
    },
    () =>
      writer
        .getByRole('link', { name: `No.${prev}` })
        .first()
        .waitFor(),
  );

  await step(
    writer,
    'new-issue',
    () => writer.getByRole('button', { name: `No.${prev} から新しい号` }).click(),
    () => writer.getByLabel('件名', { exact: true }).waitFor(),
  );

  const lead = writer.getByRole('group', { name: 'リード記事' });
  await step(
    writer,
    'field-and-preview',
    async () => {
      await lead.getByLabel('タイトル', { exact: true }).fill(title);
      if (phone) await writer.getByRole('tab', { name: 'プレビュー' }).click();
    },
    () =>
      writer
        .frameLocator('iframe[title$="px で見たメール"]')
        .getByText(title)
        .first()
        .waitFor({ timeout: 15_000 }),
  );
  if (phone) await writer.getByRole('tab', { name: 'フォーム' }).click();

  const checks = writer.getByRole('region', { name: '配信前チェック' });
  await step(
    writer,
    'checks',
    async () => {
      await writer.getByRole('button', { name: '保存', exact: true }).click();
      await writer.getByText('保存しました。').first().waitFor();
      await checks.scrollIntoViewIfNeeded();
    },
    () => checks.locator('li').first().waitFor({ timeout: 20_000 }),
  );
  await step(
    writer,
    'check-to-field',
    () => checks.locator('li button.check-place').first().click(),
    () => writer.waitForFunction(() => document.activeElement?.matches('input, textarea, select') ?? false),
  );

  await step(
    writer,
    'ask-review',
    () => writer.getByRole('button', { name: 'レビューを依頼' }).click(),
    () => writer.getByText('レビュー中').first().waitFor(),
  );

  const editor = await signedIn(browser, desk, EDITOR, viewport);
  await editor.goto(`${desk.origin}/desk/issues/${n}`);
  await editor.getByLabel('コメント').fill('件名がまだ仮のままです。今月の見出しに合わせてください。');
  await step(
    editor,
    'request-changes',
    () => editor.getByRole('button', { name: '修正を依頼する' }).click(),
    () => editor.locator('.comment.changes .comment-text').first().waitFor(),
  );

  // The writer's fix: the rest of the month written (taken from the previous issue, as the form tests
  // type it field by field), then the subject the editor asked for typed in the form.
  const before = await desk.gazette.issues.get(prev, 'ja');
  const draft = await desk.gazette.issues.get(n, 'ja');
  if (!before || !draft) throw new Error(`No.${prev} or No.${n} is missing`);
  const old = before.json as Record<string, unknown> & { lead: Record<string, unknown> };
  const json = {
    ...old,
    number: n,
    month: (draft.json as { month: unknown }).month,
    lead: { ...old.lead, title },
  };
  await desk.gazette.issues.update(Issue.parse(json), json, WRITER, draft.revision);
  const subject = `I · SEOUL · U No.${n}｜${title}`;
  await step(
    writer,
    'writer-reads-changes',
    () => writer.goto(`${desk.origin}/desk/issues/${n}`),
    () => writer.getByRole('note').first().waitFor(),
  );
  await step(
    writer,
    'fix-and-ask-again',
    async () => {
      await writer.getByLabel('件名', { exact: true }).fill(subject);
      await writer.getByRole('button', { name: '保存', exact: true }).click();
      await writer.getByText('保存しました。').first().waitFor();
      await writer.getByRole('button', { name: 'レビューを依頼' }).click();
    },
    () => writer.getByText('レビュー中').first().waitFor(),
  );

  const approve = editor.getByRole('button', { name: '承認', exact: true });
  await step(
    editor,
    'approve',
    async () => {
      await editor.reload();
      await approve.waitFor();
      await editor.waitForFunction(
        () => [...document.querySelectorAll('button')].some((b) => b.textContent === '承認' && !b.disabled),
        undefined,
        { timeout: 30_000 },
      );
      await approve.click();
    },
    () => editor.getByText('承認済み').first().waitFor(),
  );

  const sender = await signedIn(browser, desk, SENDER, viewport);
  await sender.goto(`${desk.origin}/desk/issues/${n}/send`);
  await sender
    .getByLabel('配信日時（Asia/Seoul）')
    .fill(isoToSeoul(new Date(Date.now() + 3600_000).toISOString()));
  await step(
    sender,
    'schedule-review',
    () => sender.getByRole('button', { name: '確認して予約…' }).click(),
    () => sender.getByRole('button', { name: '確定して予約' }).waitFor(),
  );
  await step(
    sender,
    'scheduled',
    () => sender.getByRole('button', { name: '確定して予約' }).click(),
    () => sender.getByRole('timer').waitFor(),
  );
  const soon = new Date(Date.now() + 15_000 + 9 * 3600_000).toISOString().slice(0, 19);
  await step(
    sender,
    'move-time',
    async () => {
      await sender.getByLabel('新しい日時（Asia/Seoul）').fill(soon);
      await sender.getByRole('button', { name: '日時を変更' }).click();
    },
    () => sender.getByRole('status').filter({ hasText: 'に変更しました' }).waitFor(),
  );
  const sendPath = new URL(sender.url()).pathname;
  await step(
    sender,
    'send-done',
    async () => undefined,
    () => sender.getByRole('heading', { name: '完了' }).waitFor({ timeout: 120_000 }),
  );

  // Readers click two tracked links each, as from their mail.
  for (const m of desk.sink.messages.filter((x) => x.to.some((to) => to.endsWith('@example.org')))) {
    const html = String((await simpleParser(m.raw)).html);
    if (!html.includes(title)) continue;
    const links = (html.match(new RegExp(`${desk.origin}/c/[\\w.~-]+`, 'g')) ?? []).filter(
      (url) => !url.includes(`.${TRAP_LINK}.`),
    );
    for (const url of links.slice(0, 2)) await fetch(url, { redirect: 'manual' });
  }
  await step(
    editor,
    'report',
    () => editor.goto(desk.origin + sendPath),
    () =>
      editor
        .frameLocator('iframe[title="リンクごとのクリックの割合を示した号"]')
        .locator('[data-share]')
        .first()
        .waitFor({ timeout: 20_000 }),
  );

  const admin = await signedIn(browser, desk, ADMIN, viewport);
  await step(
    admin,
    'lists',
    async () => {
      if (phone) await admin.goto(`${desk.origin}/desk/lists`);
      else await admin.getByRole('link', { name: 'リスト', exact: true }).click();
    },
    () => admin.getByRole('rowheader', { name: 'members' }).waitFor(),
  );
  await admin.goto(`${desk.origin}/desk/subscribers`);
  await step(
    admin,
    'subscriber',
    () => admin.getByRole('button', { name: 'reader1@example.org' }).click(),
    () => admin.getByRole('region', { name: 'reader1@example.org' }).getByLabel('理由').waitFor(),
  );
  for (const p of [writer, editor, sender, admin]) await p.context().close();
}

ensureDeskBundle();
const desk = await startDeskApp(
  { [WRITER]: ['writer'], [EDITOR]: ['editor'], [SENDER]: ['sender'], [ADMIN]: ['admin'] },
  3,
  { SEND_RATE: '50' },
);
const browser = await launchChromium();
try {
  for (const viewport of VIEWPORTS) {
    // A fresh folder per width, so that no screenshot of an earlier run passes for this one's.
    await rm(join(outDir, String(viewport.width)), { recursive: true, force: true });
    await mkdir(join(outDir, String(viewport.width)), { recursive: true });
    try {
      await walk(browser, desk, viewport);
    } catch (e) {
      findings.push({
        width: viewport.width,
        step: 'walk',
        what: `stopped: ${(e as Error).message.split('\n')[0]}`,
      });
    }
  }
} finally {
  await browser.close();
  await desk.close();
}

console.log('\nstep                     1280 px   375 px');
for (const name of [...new Set(steps.map((s) => s.name))]) {
  const at = (w: number) => steps.find((s) => s.name === name && s.width === w)?.ms;
  console.log(
    `${name.padEnd(22)} ${String(at(1280) ?? '-').padStart(8)} ${String(at(375) ?? '-').padStart(8)}`,
  );
}
console.log(`\nfindings (${findings.length}):`);
for (const f of findings) console.log(`${f.width}px ${f.step}: ${f.what}`);
