/**
 * The desk web app's figures. Prints one JSON object per line:
 * - `desk-js-gzip`: bytes of the bundle's JavaScript gzipped, against the 400 KB budget (baseline, ratio).
 * - `desk-sign-in-interactive`: ms from navigation to a usable sign-in form (the "Sign in" button rendered
 *   and the Email field focused) in Debian's Chromium, a fresh browser context (empty cache) each run,
 *   against a bare static page with a form on the same server (baseline, ratio). Median of runs.
 * Usage: npx tsx scripts/bench-desk.ts [runs, default 9]. Builds dist/desk when it is missing.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import nodemailer from 'nodemailer';
import { createGazette } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { DESK_BUNDLE_DIR, deskBundleExists } from '../src/desk/desk-static.ts';
import { createRedis } from '../src/redis.ts';
import { createApp } from '../src/server/app.ts';
import { startSignups } from '../src/server/start-signups.ts';
import { CHROMIUM_PATH, launchChromium } from './chromium.ts';

const runs = Number(process.argv[2] ?? 9);
const BUDGET = 400 * 1024;
const BARE = `<!doctype html><html lang="en"><title>bare</title><link rel="icon" href="data:,">
<form><label>Email <input id="email" autofocus></label><button>Sign in</button></form>`;

if (!deskBundleExists()) execFileSync('npm', ['run', 'build:desk', '--silent'], { stdio: 'inherit' });

const assets = join(DESK_BUNDLE_DIR, 'assets');
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
const config = loadConfig({
  ...process.env,
  REDIS_PREFIX: prefix,
  GAZETTE_SECRET: 'bench-secret-0123456789abcdef0123456789',
});
const redis = createRedis(config.REDIS_URL);
const app = new Hono();
app.get('/bench-bare', (c) => c.html(BARE));
const gazette = createGazette(config, { redis });
const deps = {
  redis,
  store: gazette.subscribers,
  sends: gazette.sends,
  clicks: gazette.clicks,
  policy: gazette.policy,
  config,
  mailer: nodemailer.createTransport({ jsonTransport: true }),
  log: () => undefined,
};
const signups = startSignups(deps);
app.route('/', createApp({ ...deps, signups }));
const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
await new Promise((resolve) => server.once('listening', resolve));
const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

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

await browser.close();
server.close();
await signups.close();
redis.disconnect();
