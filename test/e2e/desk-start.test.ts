import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../src/free-port.ts';
import { sampleIssueFiles } from '../helpers/issues.ts';
import { TEST_REDIS_URL, type TestRedis, testRedis } from '../helpers/redis.ts';
import { type DeskApp, PASSWORD, startDeskApp } from './desk-app.ts';
import {
  type AxeFigures,
  checkPage,
  collectErrors,
  ensureDeskBundle,
  hasChromium,
  launchChromium,
} from './desk-browser.ts';

const ADMIN = 'admin@desk.test';
/** Screenshots of the fresh desk at 1280 and 375 px in Japanese, to look at (issue 18). */
const SHOTS = '/tmp/desk-start';
const ROOT = join(import.meta.dirname, '../..');

let desk: DeskApp;
let browser: Browser;
const figures: AxeFigures[] = [];

beforeAll(async () => {
  ensureDeskBundle();
  // A desk as `gazette server` starts it the first time: accounts, but not one issue. ISSUES_DIR is
  // the default, issues/, where the sample issues 201 to 203 are.
  desk = await startDeskApp({ [ADMIN]: ['admin'] }, 3, {}, { withIssue: false });
  browser = await launchChromium();
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await desk?.close();
  console.log(JSON.stringify({ axe: figures }));
});

/** A Japanese browser at `width` px, signed in as the admin at `origin` (the desk's own, unless told). */
async function signInJa(width: number, origin = desk.origin): Promise<{ page: Page; errors: string[] }> {
  const context = await browser.newContext({ locale: 'ja-JP', viewport: { width, height: 900 } });
  const page = await context.newPage();
  const errors = collectErrors(page);
  await page.goto(`${origin}/desk/`);
  await page.getByLabel('メールアドレス').fill(ADMIN);
  await page.getByLabel('パスワード').fill(PASSWORD);
  await page.getByRole('button', { name: 'サインイン', exact: true }).click();
  return { page, errors };
}

describe.skipIf(!hasChromium)('the first desk, in Japanese', { timeout: 120_000 }, () => {
  it('a desk with no issue says how to start; importing brings in the issue files the server sees', async () => {
    const small = await signInJa(375);
    await small.page.getByRole('heading', { name: '最初の号を始めましょう' }).waitFor();
    expect(await small.page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
    await checkPage(small.page, 'first-desk-375', figures, SHOTS);
    await small.page.close();

    const { page, errors } = await signInJa(1280);
    await page.getByRole('heading', { name: '最初の号を始めましょう' }).waitFor();
    // Once it said only 「この状態の号はありません。」 here.
    expect(await page.getByText('この状態の号はありません。').count()).toBe(0);
    await page.getByRole('button', { name: '最初の号を作る' }).waitFor();
    expect(await page.getByLabel('号の番号').inputValue()).toBe('1');
    const docs = page.getByRole('link', { name: 'デスクの説明書' });
    expect(await docs.getAttribute('href')).toBe('/desk/api/docs');
    await checkPage(page, 'first-desk-1280', figures, SHOTS);

    const started = Date.now();
    await page.getByRole('button', { name: '号のファイルを取り込む' }).click();
    const said = page.getByRole('status').filter({ hasText: '件の号を取り込みました' });
    await said.waitFor();
    // One file per edition (205.json, 205.en.json…): the count is of files, the list of numbers.
    const files = sampleIssueFiles()
      .map((f) => f.split('/').at(-1) ?? '')
      .sort();
    const numbers = [...new Set(files.map((f) => Number(f.split('.')[0])))].sort((a, b) => a - b);
    expect(numbers).toContain(205);
    expect(await said.textContent()).toContain(
      `${files.length} 件の号を取り込みました：${numbers.map((n) => `No.${n}`).join(', ')}`,
    );
    for (const n of numbers) await page.getByRole('link', { name: `No.${n}` }).waitFor();
    console.log(
      `first desk: ${files.length} issue files (${numbers.length} numbers) imported and listed in ${Date.now() - started} ms`,
    );
    await checkPage(page, 'first-desk-imported-1280', figures, SHOTS);
    for (const n of numbers) {
      expect(await desk.gazette.issues.get(n, 'ja')).toMatchObject({ revision: 1, updatedBy: ADMIN });
    }
    // A second import overwrites nothing: each file is left with its reason.
    const again = await page.request.post(`${desk.origin}/desk/api/issues/import`, {
      headers: { origin: desk.origin },
    });
    expect(await again.json()).toEqual({
      imported: [],
      skipped: files.map((file) => ({ file, code: 'exists', message: '' })),
    });
    await page.close();
    expect(errors).toEqual([]);
  });

  it('opened at another host name, signing in says where the desk answers instead of "server problem"', async () => {
    const other = desk.origin.replace('127.0.0.1', 'localhost');
    const { page, errors } = await signInJa(375, other);
    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toBe(
      `このデスクは決まったアドレスでのみ開けます。${desk.origin}/desk を開いて、そこでサインインしてください。`,
    );
    expect(await alert.getByRole('link').getAttribute('href')).toBe(`${desk.origin}/desk/`);
    await checkPage(page, 'wrong-host-375', figures, SHOTS);
    await page.close();
    // The browser logs the refused sign-in and question for the ways in (421) as failed resources, and nothing else.
    expect(
      errors.filter(
        (e) => !/\/desk\/api\/(session|sign-in-methods): 421$|421 \(Misdirected Request\)/.test(e),
      ),
    ).toEqual([]);
  });
});

describe('the compiled server', () => {
  let t: TestRedis;
  let child: ChildProcess | undefined;
  beforeAll(() => {
    // `npx gazette` is the compiled dist/: make sure it is current (incremental, quick when it is).
    const build = spawnSync('npm', ['run', 'build:cli'], { cwd: ROOT, encoding: 'utf8' });
    expect(build.status, build.stdout + build.stderr).toBe(0);
  }, 300_000);
  afterAll(async () => {
    if (child && child.exitCode === null) child.kill('SIGKILL');
    await t?.cleanup();
  });

  it('names the desk’s address when it starts', async () => {
    t = await testRedis('desk-start-line');
    const port = await freePort();
    child = spawn(process.execPath, [join(ROOT, 'bin/gazette.js'), 'server', '--port', String(port)], {
      env: {
        ...process.env,
        REDIS_URL: TEST_REDIS_URL,
        REDIS_PREFIX: t.prefix,
        GAZETTE_SECRET: 'x'.repeat(40),
        BOUNCE_SMTP_PORT: '0',
        PUBLIC_URL: `http://localhost:${port}`,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout?.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr?.on('data', (c: Buffer) => (out += c.toString()));
    const started = Date.now();
    while (!out.includes('the desk: ') && Date.now() - started < 30_000) {
      await new Promise((r) => setTimeout(r, 50));
    }
    console.log(`compiled server: the desk's line after ${Date.now() - started} ms`);
    expect(out).toContain(`listening on http://localhost:${port}`);
    expect(out).toMatch(new RegExp(`^the desk: http://localhost:${port}/desk `, 'm'));
    child.kill('SIGTERM');
    await new Promise((r) => child?.once('exit', r));
  }, 60_000);
});
