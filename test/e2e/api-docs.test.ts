import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACCOUNTS, startTestDesk, type TestDesk } from '../helpers/desk-server.ts';
import {
  collectErrors,
  hasChromium,
  launchChromium,
  reportCspViolations,
  SHOTS_DIR,
} from './desk-browser.ts';

let desk: TestDesk;
let browser: Browser;

beforeAll(async () => {
  desk = await startTestDesk('e2e-api-docs');
  browser = await launchChromium();
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await desk?.close();
});

describe.skipIf(!hasChromium)('the API docs in Chromium', { timeout: 60_000 }, () => {
  it('render the reference from our own origin and try a route: no request leaves it, no CSP violation', async () => {
    const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 900 } });
    await reportCspViolations(context);
    const [name, value] = (await desk.signIn(ACCOUNTS.writer)).split('=') as [string, string];
    await context.addCookies([{ name, value, url: desk.origin }]);
    const page = await context.newPage();
    const errors = collectErrors(page);
    const elsewhere: string[] = [];
    page.on('request', (r) => {
      if (!r.url().startsWith(`${desk.origin}/`) && !r.url().startsWith('data:')) elsewhere.push(r.url());
    });
    await page.goto(`${desk.origin}/desk/api/docs`);
    await page.getByRole('heading', { name: 'Gazette desk API', level: 1 }).waitFor({ timeout: 20_000 });
    // The operations come from /desk/api/openapi.json, read by the bundle from this origin.
    await page.getByText('Sign in: sets an HttpOnly').first().waitFor();
    // Scalar's lazy parts (the code samples, the search) settle before the page is judged.
    await page.getByText('Client Libraries').first().waitFor();
    await page.screenshot({ path: `${SHOTS_DIR}/api-docs.png` });
    // Its API client tries a route on the desk itself, with the reader's session.
    await page.getByText('The signed-in user').first().click();
    await page.getByRole('button', { name: /^Test Request\s*\(get \/session\)$/ }).click();
    await page.getByRole('button', { name: /^Send/ }).first().click();
    await page.getByText('"writer@desk.test"').waitFor();
    expect(elsewhere).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  });
});
