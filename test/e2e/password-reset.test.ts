import { simpleParser } from 'mailparser';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestSink } from '../helpers/smtp-sink.ts';
import { type DeskApp, PASSWORD, startDeskApp } from './desk-app.ts';
import {
  type AxeFigures,
  checkPage,
  collectErrors,
  ensureDeskBundle,
  hasChromium,
  launchChromium,
} from './desk-browser.ts';

// Issue 22: a forgotten password and an invitation, in Chromium and in Japanese, with the link read
// from the mail the real SMTP sink received. Screenshots at 1280 and 375 px go to SHOTS.
const WRITER = 'writer@desk.test';
const ADMIN = 'admin@desk.test';
const SHOTS = '/tmp/desk-password-reset';
const NEW_PASSWORD = 'みどりの 電車で 海まで 行く';

let desk: DeskApp;
let browser: Browser;
const figures: AxeFigures[] = [];

beforeAll(async () => {
  ensureDeskBundle();
  desk = await startDeskApp({ [WRITER]: ['writer'], [ADMIN]: ['admin'] }, 0);
  browser = await launchChromium();
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await desk?.close();
  console.log(JSON.stringify({ axe: figures }));
});

/** The link in the next mail to `to` after the sink's `from`-th message. */
async function linkIn(sink: TestSink, to: string, from: number): Promise<{ url: string; subject: string }> {
  await expect
    .poll(() => sink.messages.slice(from).some((m) => m.to.includes(to)), { timeout: 15_000 })
    .toBe(true);
  const raw = sink.messages.slice(from).find((m) => m.to.includes(to))?.raw ?? Buffer.alloc(0);
  const mail = await simpleParser(raw);
  const url = /https?:\/\/\S+\/desk\/reset\/[\w-]{43}/.exec(mail.text ?? '')?.[0];
  if (!url) throw new Error(`no link in: ${mail.text}`);
  return { url, subject: mail.subject ?? '' };
}

async function japanese(width: number): Promise<{ page: Page; errors: string[] }> {
  const context = await browser.newContext({ locale: 'ja-JP', viewport: { width, height: 900 } });
  const page = await context.newPage();
  return { page, errors: collectErrors(page) };
}

/** Sets a password on the open reset page and lands on the sign-in page with its notice. */
async function choosePassword(page: Page, button: string): Promise<void> {
  await page.getByLabel('新しいパスワード', { exact: true }).fill(NEW_PASSWORD);
  await page.getByLabel('新しいパスワード（確認）').fill(NEW_PASSWORD);
  await page.getByRole('button', { name: button }).click();
  await page.getByRole('status').filter({ hasText: 'パスワードを設定しました。' }).waitFor();
  expect(new URL(page.url()).search).toBe('');
}

async function signIn(page: Page, email: string, password: string): Promise<void> {
  await page.getByLabel('メールアドレス').fill(email);
  await page.getByLabel('パスワード', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'サインイン', exact: true }).click();
  await page.getByRole('button', { name: 'サインアウト' }).waitFor();
}

describe.skipIf(!hasChromium)(
  'a forgotten password and an invitation in Chromium, in Japanese',
  { timeout: 120_000 },
  () => {
    it('forgot password → the mail → the link → a new password → signed in; the link works once', async () => {
      // A session elsewhere, which the reset ends.
      const other = await japanese(1280);
      await other.page.goto(`${desk.origin}/desk/`);
      await signIn(other.page, WRITER, PASSWORD);

      for (const width of [1280, 375]) {
        const { page, errors } = await japanese(width);
        await page.goto(`${desk.origin}/desk/`);
        await page.getByRole('link', { name: 'パスワードをお忘れですか？' }).click();
        await page.getByRole('heading', { name: 'パスワードの再設定' }).waitFor();
        await checkPage(page, `forgot-${width}`, figures, SHOTS);
        await page.getByLabel('メールアドレス').fill(WRITER);
        const mark = desk.sink.messages.length;
        await page.getByRole('button', { name: 'リンクを送る' }).click();
        await page.getByRole('status').filter({ hasText: '30分間' }).waitFor();
        await checkPage(page, `forgot-sent-${width}`, figures, SHOTS);
        const { url, subject } = await linkIn(desk.sink, WRITER, mark);
        expect(subject).toBe('Gazette デスクのパスワード再設定');
        expect(url.startsWith(`${desk.origin}/desk/reset/`)).toBe(true);

        // The token is in the address: no referrer takes it elsewhere.
        const opened = await page.goto(url);
        expect(opened?.headers()['referrer-policy']).toBe('no-referrer');
        await page.getByRole('heading', { name: '新しいパスワードを設定' }).waitFor();
        await page.getByText(`${WRITER} の新しいパスワードを決めてください。`, { exact: false }).waitFor();
        // Two passwords that differ are caught before anything is sent; a short one by the server's rule.
        await page.getByLabel('新しいパスワード', { exact: true }).fill('short');
        await page.getByLabel('新しいパスワード（確認）').fill('shorter');
        await page.getByRole('button', { name: 'パスワードを設定' }).click();
        await page.getByRole('alert').filter({ hasText: '2つのパスワードが一致しません。' }).waitFor();
        await page.getByLabel('新しいパスワード（確認）').fill('short');
        await page.getByRole('button', { name: 'パスワードを設定' }).click();
        await page.getByRole('alert').filter({ hasText: '10文字以上' }).waitFor();
        await checkPage(page, `reset-${width}`, figures, SHOTS);
        await choosePassword(page, 'パスワードを設定');
        await checkPage(page, `reset-done-${width}`, figures, SHOTS);
        await signIn(page, WRITER, NEW_PASSWORD);

        // The same link again: it says so, and leads to asking anew.
        await page.goto(url);
        await page.getByRole('heading', { name: 'このリンクは使えません' }).waitFor();
        await page.getByRole('link', { name: 'パスワードの再設定を申し込む' }).waitFor();
        if (width === 375) await checkPage(page, 'link-gone-375', figures, SHOTS);
        // The short password's 422 and the used link's 410 are the answers this test asked for.
        const asked = /password-reset\/[\w-]+: (410|422)$|status of (410|422) /;
        expect(errors.filter((e) => !asked.test(e))).toEqual([]);
        expect(errors.filter((e) => asked.test(e))).toHaveLength(4);
        await desk.gazette.users.setPassword(WRITER, PASSWORD);
        await page.context().close();
      }
      // The session in the other browser ended with the first reset.
      await other.page.reload();
      await other.page.getByRole('heading', { name: 'Gazette デスクにサインイン' }).waitFor();
      await other.page.context().close();
      const actions = (await desk.gazette.audit.since(0)).map((e) => e.action);
      expect(actions.filter((a) => a === 'user.password-reset-ask')).toHaveLength(2);
      expect(actions.filter((a) => a === 'user.password-reset')).toHaveLength(2);
    });

    it('an admin invites on the members page; the new member is greeted, sets a password and signs in', async () => {
      const admin = await japanese(1280);
      await admin.page.goto(`${desk.origin}/desk/`);
      await signIn(admin.page, ADMIN, PASSWORD);
      await admin.page.goto(`${desk.origin}/desk/team`);
      const form = admin.page.getByRole('form', { name: 'メンバーを招待' });
      const open = admin.page.getByRole('button', { name: '招待する' });
      const sent = admin.page
        .getByRole('status')
        .filter({ hasText: 'hanako@desk.test に招待メールを送りました。' });
      await open.click();
      await form.getByLabel('メールアドレス').fill('hanako@desk.test');
      await form.getByLabel('名前（任意）').fill('新井 花子');
      await form.getByLabel('編集者').check();
      await checkPage(admin.page, 'invite-form-1280', figures, SHOTS);
      const mark = desk.sink.messages.length;
      await form.getByRole('button', { name: '招待メールを送る' }).click();
      // The form closes and the page says to whom the invitation went.
      await sent.waitFor();
      expect(await form.count()).toBe(0);
      expect(await open.getAttribute('aria-expanded')).toBe('false');
      // The members list shows the new member at once.
      await admin.page.getByRole('table').getByText('hanako@desk.test').waitFor();
      await checkPage(admin.page, 'invite-sent-1280', figures, SHOTS);
      const first = await linkIn(desk.sink, 'hanako@desk.test', mark);
      expect(first.subject).toBe('Gazette デスクへの招待');
      // The same address again: already there, and the form offers to send the invitation again.
      await open.click();
      expect(await sent.count()).toBe(0);
      await form.getByLabel('メールアドレス').fill('hanako@desk.test');
      await form.getByRole('button', { name: '招待メールを送る' }).click();
      await form
        .getByRole('alert')
        .filter({ hasText: 'hanako@desk.test はすでにデスクのメンバーです。' })
        .waitFor();
      const again = desk.sink.messages.length;
      await form.getByRole('button', { name: '招待メールを送り直す' }).click();
      await sent.waitFor();
      expect(await form.count()).toBe(0);
      // The 409 of the second invitation is the answer this step asked for.
      expect(admin.errors.filter((e) => !/\/users: 409$|status of 409 /.test(e))).toEqual([]);
      await admin.page.context().close();

      const { url, subject } = await linkIn(desk.sink, 'hanako@desk.test', again);
      expect(subject).toBe('Gazette デスクへの招待');
      expect(url).not.toBe(first.url);
      expect((await fetch(first.url.replace('/desk/reset/', '/desk/api/password-reset/'))).status).toBe(410);
      const member = await japanese(375);
      await member.page.goto(url);
      await member.page.getByRole('heading', { name: 'Gazette デスクへようこそ' }).waitFor();
      await member.page.getByText('新井 花子さん、ようこそ。').waitFor();
      await checkPage(member.page, 'invite-welcome-375', figures, SHOTS);
      await choosePassword(member.page, 'パスワードを決めて参加');
      await signIn(member.page, 'hanako@desk.test', NEW_PASSWORD);
      expect((await desk.gazette.users.get('hanako@desk.test'))?.roles).toEqual(['writer', 'editor']);
      expect(member.errors).toEqual([]);
      await member.page.context().close();
    });
  },
);
