import { simpleParser } from 'mailparser';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../helpers/send-env.ts';
import { type DeskApp, PASSWORD, startDeskApp } from './desk-app.ts';
import {
  type AxeFigures,
  checkPage,
  ensureDeskBundle,
  hasChromium,
  launchChromium,
  signIn as signInAs,
} from './desk-browser.ts';

const WRITER = 'anna@desk.test';
const EDITOR = 'eun@desk.test';
const SHOTS = '/tmp/desk-review-talk';

let desk: DeskApp;
let browser: Browser;
const figures: AxeFigures[] = [];
const errors: string[] = [];

beforeAll(async () => {
  ensureDeskBundle();
  desk = await startDeskApp({ [WRITER]: ['writer'], [EDITOR]: ['editor'] }, 1);
  browser = await launchChromium();
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await desk?.close();
});

async function signIn(email: string): Promise<Page> {
  const { page, errors: seen } = await signInAs(browser, desk.origin, email, PASSWORD);
  page.on('close', () => errors.push(...seen));
  return page;
}

async function openEditor(page: Page): Promise<void> {
  await page.goto(`${desk.origin}/desk/issues/203`);
  await page.getByLabel('Subject', { exact: true }).waitFor();
}

describe.skipIf(!hasChromium)('review as a conversation in the browser (issue 18)', () => {
  it('the writer asks for review, the editor requests changes with a comment, the writer reads it on top', async () => {
    const writer = await signIn(WRITER);
    await openEditor(writer);
    await writer.getByRole('button', { name: 'Ask for review' }).click();
    await writer.getByText('In review').first().waitFor();
    // The editor hears of it by mail.
    await waitFor(() => desk.sink.messages.some((m) => m.to.includes(EDITOR)), 10_000, 'the review mail');

    const editor = await signIn(EDITOR);
    await openEditor(editor);
    const comment = 'Section 1: the <b>second</b> headline is too long.';
    await editor.getByLabel('Your comment').fill(comment);
    await checkPage(editor, 'editor-review-conversation', figures, SHOTS);
    await editor.getByRole('button', { name: 'Request changes' }).click();
    // The comment is listed as a change request, in plain text (the tag shown, not made bold).
    await editor.locator('.comment.changes .comment-text').getByText(comment, { exact: true }).waitFor();
    expect(await editor.locator('.comment-text b').count()).toBe(0);

    await openEditor(writer);
    const note = writer.getByRole('note');
    await note.getByRole('heading', { name: 'eun asked for changes' }).waitFor();
    expect(await note.locator('.comment-text').textContent()).toBe(comment);
    await checkPage(writer, 'editor-change-request', figures, SHOTS);
    // The writer answers in the conversation.
    await writer.getByLabel('Your comment').fill('Shortened it.');
    await writer.getByRole('button', { name: 'Comment', exact: true }).click();
    await writer.locator('.comment-text').getByText('Shortened it.').waitFor();

    await writer.goto(`${desk.origin}/desk/issues/203/history`);
    const timeline = writer.locator('ol.timeline li');
    await timeline.filter({ hasText: 'eun asked for changes' }).waitFor();
    expect(await timeline.allTextContents()).toEqual([
      expect.stringContaining('import saved revision 1'),
      expect.stringContaining('anna asked for review'),
      expect.stringContaining('eun asked for changes'),
      expect.stringContaining('anna commented'),
    ]);
    await checkPage(writer, 'history-timeline', figures, SHOTS);
    // The writer who asked for the review got the change request by mail, its comment in it.
    await waitFor(
      () => desk.sink.messages.some((m) => m.to.includes(WRITER)),
      10_000,
      'the changes mail to the writer',
    );
    const told = desk.sink.messages.find((m) => m.to.includes(WRITER));
    expect((await simpleParser(told?.raw ?? Buffer.alloc(0))).subject).toBe('第203号に修正の依頼があります');

    // The writer turns off the finished-send mail from the account page (reached by their name).
    await writer.getByRole('link', { name: 'Account of anna' }).click();
    const finished = writer.getByLabel('the send of an issue I worked on has finished');
    expect(await finished.isChecked()).toBe(true);
    await finished.uncheck();
    await waitFor(
      async () => (await desk.gazette.users.notices(WRITER))?.sendFinished === false,
      10_000,
      'the setting to be stored',
    );
    expect(await desk.gazette.users.notices(WRITER)).toEqual({
      reviewRequested: true,
      changesRequested: true,
      approved: true,
      sendFinished: false,
    });
    await checkPage(writer, 'account-notices', figures, SHOTS);
    await writer.close();
    await editor.close();
    expect(errors).toEqual([]);
  }, 120_000);
});
