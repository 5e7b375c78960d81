export { launchChromium } from '../../scripts/chromium.ts';

import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { expect } from 'vitest';
import { CHROMIUM_PATH } from '../../scripts/chromium.ts';
import { deskBundleExists } from '../../src/desk/desk-static.ts';

/** True when the browser the e2e tests drive is installed. */
export const hasChromium = existsSync(CHROMIUM_PATH);

/** Builds the desk bundle when dist/desk is absent (CI's `npm ci` runs prepare, which builds it). */
export function ensureDeskBundle(): void {
  if (deskBundleExists()) return;
  execFileSync('npx', ['vite', 'build', '--config', 'src/desk/web/vite.config.ts', '--logLevel', 'warn'], {
    stdio: 'inherit',
  });
}

/** Collects a page's console errors and uncaught exceptions, for the "no console errors" check. */
export function collectErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`${page.url()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => errors.push(`${page.url()}: ${e.message}`));
  // Names the request behind a "Failed to load resource" line.
  page.on('response', (r) => {
    if (r.status() >= 400) errors.push(`${r.request().method()} ${r.url()}: ${r.status()}`);
  });
  return errors;
}

/**
 * Makes every page and frame of `context` log each Content-Security-Policy violation as a console
 * error (`CSP violation: <directive> <what> at <where>`), which collectErrors keeps: Chromium reports
 * a blocked `eval` that the page catches as an event only, never in the console.
 */
export async function reportCspViolations(context: BrowserContext): Promise<void> {
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      console.error(
        `CSP violation: ${e.effectiveDirective} ${e.blockedURI} at ${e.sourceFile}:${e.lineNumber}`,
      );
    });
  });
}

let axeSource: string | undefined;

/** What axe found on one page: the serious and critical violations, and how many rules passed. */
export interface AxeFigures {
  page: string;
  serious: string[];
  passes: number;
  minor: number;
}

/**
 * Where the pages' screenshots go: a scratch folder, so that a test run leaves the work tree as it
 * was; `DESK_SCREENSHOTS=docs/desk` refreshes the ones the README shows.
 */
export const SHOTS_DIR = process.env.DESK_SCREENSHOTS || join(tmpdir(), 'gazette-desk-shots');

/**
 * Runs axe-core (WCAG 2.1 A and AA rules) on the page as it is now, saves a screenshot of the viewport
 * to `<dir>/<name>.png` (SHOTS_DIR unless told), and fails on any serious or critical violation. axe is evaluated through
 * the DevTools protocol, which the desk's CSP (no inline scripts) does not apply to.
 */
export async function checkPage(
  page: Page,
  name: string,
  figures: AxeFigures[],
  dir = SHOTS_DIR,
): Promise<void> {
  axeSource ??= await readFile('node_modules/axe-core/axe.min.js', 'utf8');
  await page.evaluate(axeSource);
  const result = await page.evaluate(async () => {
    const axe = (globalThis as unknown as { axe: { run(ctx: unknown, o: unknown): Promise<AxeRun> } }).axe;
    type AxeRun = {
      violations: { id: string; impact: string; nodes: { target: string[] }[] }[];
      passes: unknown[];
    };
    const run = await axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] },
    });
    return {
      violations: run.violations.map((v) => ({
        id: v.id,
        impact: v.impact,
        where: v.nodes.map((n) => n.target.join(' ')).slice(0, 3),
      })),
      passes: run.passes.length,
    };
  });
  const serious = result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}) at ${v.where.join(', ')}`);
  figures.push({
    page: name,
    serious,
    passes: result.passes,
    minor: result.violations.length - serious.length,
  });
  await mkdir(dir, { recursive: true });
  await page.screenshot({ path: `${dir}/${name}.png`, fullPage: false });
  expect(serious, `axe on ${name}`).toEqual([]);
}

/**
 * A fresh browser context (no cookies, English, 1280 × 900) signed in as `email` through the sign-in
 * form of the desk at `origin`; `errors` collects the console errors and CSP violations of the page.
 */
export async function signIn(
  browser: Browser,
  origin: string,
  email: string,
  password: string,
): Promise<{ page: Page; errors: string[] }> {
  const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 900 } });
  await reportCspViolations(context);
  const page = await context.newPage();
  const errors = collectErrors(page);
  await page.goto(`${origin}/desk/`);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
  return { page, errors };
}

/**
 * A Japanese browser at `viewport` signed in as `email` through the sign-in form; deleting asks
 * first, and these pages only look, so dialogs are dismissed.
 */
export async function signInJa(
  browser: Browser,
  origin: string,
  email: string,
  password: string,
  viewport: { width: number; height: number },
): Promise<{ page: Page; errors: string[] }> {
  const context = await browser.newContext({ locale: 'ja-JP', viewport });
  const page = await context.newPage();
  const errors = collectErrors(page);
  page.on('dialog', (d) => void d.dismiss());
  await page.goto(`${origin}/desk/`);
  await page.getByLabel('メールアドレス').fill(email);
  await page.getByLabel('パスワード').fill(password);
  await page.getByRole('button', { name: 'サインイン', exact: true }).click();
  await page.getByRole('button', { name: 'サインアウト' }).waitFor();
  return { page, errors };
}

/** The document's width, and the elements that stick out past the viewport (for the failure message). */
export async function pageWidth(page: Page): Promise<{ width: number; wide: string[] }> {
  return page.evaluate(() => {
    const limit = window.innerWidth;
    const wide = [...document.querySelectorAll('body *')]
      .filter((el) => el.getBoundingClientRect().right > limit + 0.5)
      .slice(0, 8)
      .map(
        (el) => `${el.tagName.toLowerCase()}.${el.className} ${Math.round(el.getBoundingClientRect().right)}`,
      );
    return { width: document.documentElement.scrollWidth, wide };
  });
}

/**
 * A new Japanese page whose browser has a platform authenticator (CDP's virtual one: resident keys,
 * user verification, always yes), with its console errors collected, at the desk's sign-in page.
 */
export async function pageWithAuthenticator(
  browser: Browser,
  origin: string,
  viewport: { width: number; height: number },
): Promise<{ page: Page; errors: string[] }> {
  const context = await browser.newContext({ locale: 'ja-JP', viewport });
  const page = await context.newPage();
  const errors = collectErrors(page);
  const cdp = await context.newCDPSession(page);
  await cdp.send('WebAuthn.enable', { enableUI: false });
  await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: {
      protocol: 'ctap2',
      transport: 'internal',
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
      automaticPresenceSimulation: true,
    },
  });
  await page.goto(`${origin}/desk/`);
  return { page, errors };
}
