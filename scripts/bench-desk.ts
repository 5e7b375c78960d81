/**
 * The desk web app's figures. Prints one JSON object per line:
 * - `desk-js-gzip`: bytes of the bundle's JavaScript gzipped, against the 400 KB budget (baseline, ratio).
 * - `desk-sign-in-interactive`: ms from navigation to a usable sign-in form (the "Sign in" button rendered
 *   and the Email field focused) in Debian's Chromium, a fresh browser context (empty cache) each run,
 *   against a bare static page with a form on the same server (baseline, ratio). Median of runs.
 * - `desk-issue-list-500`: ms from navigation to the issues list showing all of 500 stored issues, signed
 *   in, a fresh context each run, against the bare page (baseline, ratio); the bar is 500 ms.
 * - `desk-preview-update`: ms from the last keystroke in the Subject field to the new preview loaded in
 *   the frame beside the form (150 ms of it is the wait for a pause in typing); the bar is 300 ms.
 * Usage: npx tsx scripts/bench-desk.ts [runs, default 9]. Builds dist/desk when it is missing.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import nodemailer from 'nodemailer';
import { createGazette } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { deskBundleDir, deskBundleExists } from '../src/desk/desk-static.ts';
import { freePort } from '../src/free-port.ts';
import { loadIssue } from '../src/issue/load.ts';
import { createRedis, deleteKeys } from '../src/redis.ts';
import type { Mailer } from '../src/send/wire/transport.ts';
import { createApp } from '../src/server/public/public-app.ts';
import { startSignups } from '../src/server/public/start-signups.ts';
import { createConfirmWorker } from '../workers/confirm.worker.ts';
import { CHROMIUM_PATH, launchChromium } from './chromium.ts';

const runs = Number(process.argv[2] ?? 9);
const BUDGET = 400 * 1024;
const BARE = `<!doctype html><html lang="en"><title>bare</title><link rel="icon" href="data:,">
<form><label>Email <input id="email" autofocus></label><button>Sign in</button></form>`;

if (!deskBundleExists()) execFileSync('npm', ['run', 'build:desk', '--silent'], { stdio: 'inherit' });

const assets = join(deskBundleDir(), 'assets');
const jsBytes = readdirSync(assets)
  .filter((f) => f.endsWith('.js'))
  .reduce((n, f) => n + gzipSync(readFileSync(join(assets, f))).length, 0);
console.log(
  JSON.stringify({
    name: 'desk-js-gzip',
    bytes: jsBytes,
    baseline: BUDGET,
    ratio: +(jsBytes / BUDGET).toFixed(3),
  }),
);

if (!existsSync(CHROMIUM_PATH)) {
  console.error(
    'desk-sign-in-interactive: skipped, /usr/bin/chromium is not installed (apt-get install chromium)',
  );
  process.exit(0);
}

const prefix = `bench-desk-${process.pid}`;
const port = await freePort();
const base = `http://127.0.0.1:${port}`;
const config = loadConfig({
  ...process.env,
  REDIS_PREFIX: prefix,
  GAZETTE_SECRET: 'bench-secret-0123456789abcdef0123456789',
  DESK_URL: base,
  PUBLIC_URL: base,
});
const redis = createRedis(config.REDIS_URL);
const app = new Hono();
app.get('/bench-bare', (c) => c.html(BARE));
const gazette = createGazette(config, { redis });
const deps = {
  redis,
  subscribers: gazette.subscribers,
  sends: gazette.sends,
  clicks: gazette.clicks,
  policy: gazette.policy,
  config,
  mailer: nodemailer.createTransport({ jsonTransport: true }),
  log: () => undefined,
};
const noMail = { target: 'nowhere', send: async () => {}, close: async () => {} } as unknown as Mailer;
const deskDeps = { ...gazette, mailer: noMail, imagesDir: 'issues/images', remote: { timeoutMs: 3000 } };
const signups = startSignups(deps, createConfirmWorker);
app.route('/', createApp({ ...deps, desk: deskDeps, signups }));
const server = serve({ fetch: app.fetch, port, hostname: '127.0.0.1' });
await new Promise((resolve) => server.once('listening', resolve));

const browser = await launchChromium();

/** ms from navigation start until a "Sign in" button exists and the focused element is an input. */
async function interactive(path: string): Promise<number> {
  const context = await browser.newContext({ locale: 'en-US' });
  const page = await context.newPage();
  await page.goto(base + path, { waitUntil: 'commit' });
  await page.waitForFunction(
    () =>
      [...document.querySelectorAll('button')].some((b) => b.textContent === 'Sign in' && !b.disabled) &&
      document.activeElement?.tagName === 'INPUT',
    undefined,
    { polling: 'raf' },
  );
  const ms = await page.evaluate(() => performance.now());
  await context.close();
  return ms;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
await interactive('/desk/');
await interactive('/bench-bare');
const desk: number[] = [];
const bare: number[] = [];
for (let i = 0; i < runs; i++) {
  desk.push(await interactive('/desk/'));
  bare.push(await interactive('/bench-bare'));
}
const d = median(desk);
const b = median(bare);
console.log(
  JSON.stringify({
    name: 'desk-sign-in-interactive',
    ms: +d.toFixed(1),
    runs,
    limitMs: 1000,
    baseline: +b.toFixed(1),
    ratio: +(d / b).toFixed(2),
  }),
);

// 500 issues in the store, and a writer's session cookie.
const sample = await loadIssue('issues/201.json');
for (let n = 1000; n < 1500; n++) {
  const issue = { ...sample, number: n };
  await gazette.issues.create(issue, issue, 'bench');
}
const PASSWORD = 'bench password for the desk';
await gazette.users.add({
  email: 'writer@bench.test',
  name: 'writer',
  roles: ['writer'],
  password: PASSWORD,
});
const signIn = await fetch(`${base}/desk/api/session`, {
  method: 'POST',
  headers: { 'content-type': 'application/json', origin: base },
  body: JSON.stringify({ email: 'writer@bench.test', password: PASSWORD }),
});
const session = /^([^=]+)=([^;]+)/.exec(signIn.headers.get('set-cookie') ?? '');
if (!session?.[1] || !session[2]) throw new Error(`sign-in failed: ${signIn.status}`);
const cookie = { name: session[1], value: session[2], url: base };

/** A fresh browser context signed in as the writer (the cookie, and the web app's signed-in hint). */
async function signedInContext() {
  const context = await browser.newContext({ locale: 'en-US' });
  await context.addCookies([cookie]);
  await context.addInitScript(() => localStorage.setItem('gazette.desk.signedIn', '1'));
  return context;
}

/** ms from navigation start until the issues list shows `rows` rows (or the bare page's form). */
async function listShown(path: string, rows: number): Promise<number> {
  const context = await signedInContext();
  const page = await context.newPage();
  await page.goto(base + path, { waitUntil: 'commit' });
  await page.waitForFunction(
    (n) => document.querySelectorAll('tbody tr').length >= n || document.querySelector('#email') !== null,
    rows,
    { polling: 'raf', timeout: 30_000 },
  );
  const ms = await page.evaluate(() => performance.now());
  await context.close();
  return ms;
}
await listShown('/desk/issues', 500);
const list: number[] = [];
const listBare: number[] = [];
for (let i = 0; i < runs; i++) {
  list.push(await listShown('/desk/issues', 500));
  listBare.push(await listShown('/bench-bare', 0));
}
console.log(
  JSON.stringify({
    name: 'desk-issue-list-500',
    ms: +median(list).toFixed(1),
    runs,
    limitMs: 500,
    baseline: +median(listBare).toFixed(1),
    ratio: +(median(list) / median(listBare)).toFixed(2),
  }),
);

// The preview beside the editor: type a word into the subject, time until the frame holds the new mail.
const context = await signedInContext();
const page = await context.newPage();
await page.goto(`${base}/desk/issues/1000`);
const frame = page.locator('iframe.mail-frame');
await frame.waitFor({ timeout: 30_000 });
const subject = page.getByLabel('Subject', { exact: true });
const updates: number[] = [];
for (let i = 0; i < runs; i++) {
  const before = await frame.getAttribute('src');
  await subject.press('End');
  await subject.pressSequentially(` ${i}`);
  const typed = await page.evaluate(() => performance.now());
  await page.waitForFunction(
    (old) => {
      const f = document.querySelector<HTMLIFrameElement>('iframe.mail-frame');
      return !!f && f.getAttribute('src') !== old && f.contentDocument?.readyState === 'complete';
    },
    before,
    { polling: 'raf', timeout: 30_000 },
  );
  updates.push((await page.evaluate(() => performance.now())) - typed);
}
await context.close();
console.log(
  JSON.stringify({
    name: 'desk-preview-update',
    ms: +median(updates).toFixed(1),
    runs,
    limitMs: 300,
    includesTypingPauseMs: 150,
  }),
);

await browser.close();
server.close();
await signups.close();
await deleteKeys(redis, `${prefix}:*`);
await gazette.close();
redis.disconnect();
