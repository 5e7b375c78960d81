import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/gazette-server.ts';
import {
  type AxeFigures,
  checkPage,
  collectErrors,
  ensureDeskBundle,
  hasChromium,
  launchChromium,
} from './desk-browser.ts';

let server: TestServer;
let browser: Browser;
let context: BrowserContext;
const figures: AxeFigures[] = [];

/**
 * This server has the desk's files but no desk API, so the sign-in page's question for its ways in
 * (`GET /desk/api/sign-in-methods`) finds nothing here, as it never does under `gazette server`. Any
 * other failed request still shows, as its own `GET <url>: <status>` line.
 */
const withoutApi = (errors: string[]) =>
  errors.filter(
    (e) => !e.endsWith('/desk/api/sign-in-methods: 404') && !e.endsWith('status of 404 (Not Found)'),
  );

beforeAll(async () => {
  ensureDeskBundle();
  server = await startTestServer('e2e-sign-in');
  browser = await launchChromium();
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await server?.close();
  console.log(JSON.stringify({ axe: figures }));
});

describe.skipIf(!hasChromium)('the desk in Chromium: signing in', () => {
  it('follows the browser language, switches it, and labels every control', async () => {
    context = await browser.newContext({ locale: 'ja-JP', viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    const errors = collectErrors(page);
    await page.goto(`${server.base}/desk/`);
    await page.getByRole('heading', { name: 'Gazette デスクにサインイン' }).waitFor();
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('ja');
    await page.getByLabel('言語').first().selectOption('en');
    await page.getByRole('button', { name: 'Sign in', exact: true }).waitFor();
    await expect(page.getByLabel('Email').isVisible()).resolves.toBe(true);
    await expect(page.getByLabel('Password').isVisible()).resolves.toBe(true);
    // The choice is kept: a reload stays in English although the browser asks for Japanese.
    await page.reload();
    await page.getByRole('button', { name: 'Sign in', exact: true }).waitFor();
    await checkPage(page, 'sign-in', figures);
    await page.getByLabel('Language').first().selectOption('ko');
    await page.getByRole('button', { name: '로그인', exact: true }).waitFor();
    expect(withoutApi(errors)).toEqual([]);
    await context.close();
  });

  it('is served with hashed assets cached for a year and a CSP that allows no inline script', async () => {
    const res = await fetch(`${server.base}/desk/issues/204`);
    expect(res.headers.get('cache-control')).toBe('no-cache');
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    const html = await res.text();
    const asset = html.match(/\/desk\/assets\/[\w.-]+\.js/)?.[0];
    expect(asset).toBeDefined();
    const js = await fetch(server.base + asset);
    expect(js.status).toBe(200);
    expect(js.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
  });

  it('the session-ended page says what happened and offers to sign in again', async () => {
    context = await browser.newContext({ locale: 'en-GB', viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    const errors = collectErrors(page);
    await page.goto(`${server.base}/desk/session-ended`);
    await page.getByRole('heading', { name: 'Your session has ended' }).waitFor();
    await checkPage(page, 'session-ended', figures);
    await page.getByRole('link', { name: 'Sign in again' }).click();
    await page.getByRole('button', { name: 'Sign in', exact: true }).waitFor();
    expect(withoutApi(errors)).toEqual([]);
    await context.close();
  });
});
