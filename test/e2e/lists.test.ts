import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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

const ADMIN = 'admin@desk.test';
const PHONE = { width: 375, height: 812 };
let desk: DeskApp;
let browser: Browser;
const figures: AxeFigures[] = [];

beforeAll(async () => {
  ensureDeskBundle();
  desk = await startDeskApp({ [ADMIN]: ['admin'] }, 3);
  browser = await launchChromium();
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await desk?.close();
  console.log(JSON.stringify({ axe: figures }));
});

/** The "配信中" (active) figure of a list's row on the lists page. */
async function activeOn(page: Page, list: string): Promise<string> {
  await page.goto(`${desk.origin}/desk/lists`);
  const row = page.getByRole('row').filter({ has: page.getByRole('rowheader', { name: list }) });
  return (await row.getByRole('cell').first().textContent()) ?? '';
}

describe.skipIf(!hasChromium)(
  'the desk in Chromium: lists and one person (admin, ja)',
  { timeout: 120_000 },
  () => {
    it('an admin adds a list and a person; the active count goes up, and down after an unsubscribe with a reason', async () => {
      const { page, errors } = await signInJa(browser, desk.origin, ADMIN, PASSWORD, {
        width: 1280,
        height: 900,
      });
      await page.getByRole('link', { name: 'リスト', exact: true }).click();
      await page.getByRole('heading', { name: 'リスト', level: 1 }).waitFor();
      await expect.poll(() => activeOn(page, 'members')).toBe('3');
      await page.getByLabel('リスト名').fill('club');
      await page.getByRole('button', { name: '作成' }).click();
      await page.getByRole('status').filter({ hasText: 'club' }).waitFor();
      await page.getByRole('rowheader', { name: 'club' }).waitFor();
      await checkPage(page, 'lists-1280', figures);

      await page.goto(`${desk.origin}/desk/subscribers`);
      const form = page.getByRole('form', { name: '購読者を 1 人追加' });
      await form.getByLabel('メールアドレス').fill('hana@example.org');
      await form.getByLabel('名前').fill('山田 花');
      await form.getByLabel('members（配信中 3 人）').check();
      await form.getByRole('button', { name: '追加' }).click();
      await form.getByRole('status').filter({ hasText: 'hana@example.org を追加しました。' }).waitFor();
      // The new person's card opens; the count beside the list in the form follows at once.
      await page.getByRole('region', { name: 'hana@example.org' }).waitFor();
      await form.getByLabel('members（配信中 4 人）').waitFor();
      await checkPage(page, 'subscribers-add-1280', figures);
      expect(await activeOn(page, 'members')).toBe('4');

      // The send page's picker shows the same count.
      await page.goto(`${desk.origin}/desk/issues/203/send`);
      await expect
        .poll(() => page.getByRole('combobox', { name: 'リスト' }).locator('option').allTextContents())
        .toContain('members（配信中 4 人）');

      await page.goto(`${desk.origin}/desk/subscribers`);
      await page.getByLabel('メールアドレスか名前で検索').fill('hana');
      await page.getByRole('button', { name: '検索', exact: true }).click();
      await page.getByRole('button', { name: 'hana@example.org' }).click();
      const person = page.getByRole('region', { name: 'hana@example.org' });
      await person.getByLabel('理由').fill('電話で配信停止の依頼');
      await person.getByRole('button', { name: '配信停止' }).click();
      await person.getByText('理由: 電話で配信停止の依頼').waitFor();
      expect(await activeOn(page, 'members')).toBe('3');
      await page.close();
      expect(errors).toEqual([]);
    });

    it('an admin renames a list: its members go with it; a name another list has is refused', async () => {
      const { page, errors } = await signInJa(browser, desk.origin, ADMIN, PASSWORD, {
        width: 1280,
        height: 900,
      });
      await page.goto(`${desk.origin}/desk/lists`);
      await page.getByRole('rowheader', { name: 'members' }).waitFor();
      const form = page.getByRole('form', { name: 'リストの名前を変更' });
      await form.getByRole('combobox', { name: 'リスト' }).selectOption('members');
      await form.getByLabel('新しい名前').fill('club');
      await form.getByRole('button', { name: '名前を変更' }).click();
      await form.getByRole('alert').waitFor();
      expect(await page.getByRole('rowheader', { name: 'members', exact: true }).count()).toBe(1);
      await form.getByLabel('新しい名前').fill('readers');
      await form.getByRole('button', { name: '名前を変更' }).click();
      await form
        .getByRole('status')
        .filter({ hasText: 'リスト「members」を「readers」に変更しました。' })
        .waitFor();
      const row = page.getByRole('row', { name: /readers/ });
      await row.waitFor();
      // The three readers and the person the first test added, one of whom unsubscribed since.
      expect(await row.locator('td').allTextContents()).toEqual(['3', '4']);
      expect(await page.getByRole('rowheader', { name: 'members', exact: true }).count()).toBe(0);
      await page.close();
      // The refused name's 409 is the one error the browser logs.
      expect(errors.filter((e) => !/lists\/members: 409|status of 409/.test(e))).toEqual([]);
      expect(errors).toHaveLength(2);
    });

    it('at 375 px the lists page and the subscribers page with a person open never scroll sideways', async () => {
      const { page, errors } = await signInJa(browser, desk.origin, ADMIN, PASSWORD, PHONE);
      await page.goto(`${desk.origin}/desk/lists`);
      await page.getByRole('rowheader', { name: 'readers' }).waitFor();
      const lists = await pageWidth(page);
      expect(lists.width, lists.wide.join(', ')).toBeLessThanOrEqual(375);
      await checkPage(page, 'lists-375', figures);
      await page.goto(`${desk.origin}/desk/subscribers`);
      await page.getByRole('button', { name: 'reader1@example.org' }).click();
      const reason = page.getByRole('region', { name: 'reader1@example.org' }).getByLabel('理由');
      await reason.scrollIntoViewIfNeeded();
      const people = await pageWidth(page);
      expect(people.width, people.wide.join(', ')).toBeLessThanOrEqual(375);
      await checkPage(page, 'subscribers-person-375', figures);
      await page.getByRole('button', { name: '追加' }).scrollIntoViewIfNeeded();
      await checkPage(page, 'subscribers-add-375', figures);
      await page.close();
      expect(errors).toEqual([]);
    });
  },
);
