import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DeskApp, PASSWORD, startDeskApp } from './desk-app.ts';
import {
  type AxeFigures,
  checkPage,
  ensureDeskBundle,
  hasChromium,
  launchChromium,
  signIn,
} from './desk-browser.ts';

const ADMIN = 'admin@desk.test';
let desk: DeskApp;
let browser: Browser;
const figures: AxeFigures[] = [];

beforeAll(async () => {
  ensureDeskBundle();
  desk = await startDeskApp({ [ADMIN]: ['admin'] }, 60);
  browser = await launchChromium();
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await desk?.close();
  console.log(JSON.stringify({ axe: figures }));
});

describe.skipIf(!hasChromium)('the desk in Chromium: subscribers (admin)', { timeout: 120_000 }, () => {
  it('searches, reads a person’s history, imports a CSV with its rejected rows shown, and exports', async () => {
    const { page, errors } = await signIn(browser, desk.origin, ADMIN, PASSWORD);
    await page.getByRole('link', { name: 'Subscribers' }).click();
    await page.getByRole('heading', { name: 'Subscribers' }).waitFor();
    // 60 readers: a page of 50, then the rest on asking for more.
    const rows = page.getByRole('table').getByRole('rowheader');
    await expect.poll(() => rows.count()).toBe(50);
    await page.getByRole('button', { name: 'Show more' }).click();
    await expect.poll(() => rows.count()).toBe(60);
    await expect(page.getByRole('button', { name: 'Show more' }).count()).resolves.toBe(0);
    // Each reader's language is named in words, not by its code.
    const first = page.getByRole('table').getByRole('row').nth(1);
    expect(await first.getByRole('cell').allTextContents()).toContain('Japanese');

    await page.getByLabel('Search by email or name').fill('reader1');
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await page.getByRole('button', { name: 'reader1@example.org' }).click();
    const person = page.getByRole('region', { name: 'reader1@example.org' });
    await person.getByText('members').first().waitFor();

    const csv = 'email,name\r\nnew.reader@example.org,New Reader\r\nnot-an-address,Broken Row\r\n';
    await page
      .getByLabel('CSV file')
      .setInputFiles({ name: 'readers.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    const summary = page.getByRole('status').filter({ hasText: 'rejected' });
    await summary.waitFor({ timeout: 20_000 });
    expect(await summary.textContent()).toContain('1 added');
    expect(await summary.getByRole('listitem').allTextContents()).toEqual([
      expect.stringMatching(/^line 3: .+/),
    ]);
    await summary.getByRole('listitem').scrollIntoViewIfNeeded();
    await checkPage(page, 'subscribers', figures);

    const href = await page.getByRole('link', { name: 'Export CSV' }).getAttribute('href');
    const exported = await page.request.get(new URL(href ?? '', desk.origin).href);
    expect(exported.status()).toBe(200);
    expect(await exported.text()).toContain('new.reader@example.org');
    await page.close();
    expect(errors).toEqual([]);
  });
});
