/// <reference lib="dom" />
// The axe run and the box measurements run in Chromium, where the DOM exists.
import { readFile } from 'node:fs/promises';
import { simpleParser } from 'mailparser';
import nodemailer from 'nodemailer';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bounceStoreOf } from '../../src/bounces/policy.ts';
import { createClickStore } from '../../src/clicks/click-store.ts';
import { readClickToken } from '../../src/clicks/click-token.ts';
import { TRAP_LINK } from '../../src/compose/compiled.ts';
import { loadIssue } from '../../src/issue/load.ts';
import { fillRanking } from '../../src/report/fill-ranking.ts';
import { sendReport } from '../../src/report/send-report.ts';
import { createSend } from '../../src/send/control/schedule.ts';
import { type RunningServer, startServer } from '../../src/server/public/start.ts';
import { createSubscriberStore } from '../../src/subscribers/subscriber-store.ts';
import { createConfirmWorker } from '../../workers/confirm.worker.ts';
import { type RunningWorkers, startWorkers } from '../../workers/index.ts';
import { launchChromium } from '../helpers/browser.ts';
import { type TestRedis, testRedis } from '../helpers/redis.ts';
import { addReaders, type SendEnv, sendEnv, testConfig, waitFor } from '../helpers/send-env.ts';
import { serverStores } from '../helpers/server-stores.ts';
import { startTestSink, type TestSink } from '../helpers/smtp-sink.ts';

// A mail gateway follows every link of one reader's message (HEAD and GET, a browser's user agent,
// within a second of delivery), then three people each open one article 20 s later. Measured the
// way issue 21 measured it: through the real worker, an SMTP sink and the real public server.

const READERS = 5;
const CHROME_WIN =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
const PEOPLE_AGENTS = [
  CHROME_WIN,
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1',
  'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0',
];

let t: TestRedis;
let sink: TestSink;
let env: SendEnv;
let workers: RunningWorkers;
let server: RunningServer;
let browser: Browser;
let sendId: string;
/** How far the server's click clock runs ahead of real time: people click "20 s later" without waiting. */
let skew = 0;
/** Each reader's received message: click URLs by link id, the HTML and the text part. */
const mail = new Map<string, { urls: Record<string, string>; html: string; text: string }>();
const reader = (i: number) => mail.get(`reader${i}@scan.example`) as NonNullable<ReturnType<typeof mail.get>>;

beforeAll(async () => {
  t = await testRedis('scanners');
  sink = await startTestSink(() => null);
  const serverConfig = testConfig(t.prefix, {
    TRUST_PROXY: '127.0.0.1',
    CLICK_MACHINE_NETS: '192.0.2.0/24',
  });
  server = await startServer(
    {
      redis: t.redis,
      subscribers: createSubscriberStore({ redis: t.redis, prefix: t.prefix }),
      ...serverStores(t.redis, serverConfig),
      clicks: createClickStore({ redis: t.redis, prefix: t.prefix, clock: () => Date.now() + skew }),
      config: serverConfig,
      mailer: nodemailer.createTransport({ jsonTransport: true }),
      log: () => {},
      confirmWorker: createConfirmWorker,
    },
    0,
    '127.0.0.1',
  );
  const base = `http://127.0.0.1:${server.port}`;
  env = sendEnv(t.redis, testConfig(t.prefix, { SMTP_URL: sink.url, PUBLIC_URL: base }));
  workers = await startWorkers(env.config, () => {});
  await addReaders(env.subscribers, 'scan', READERS, { domain: 'scan.example' });
  sendId = (await createSend(env, { issueFile: 'test/fixtures/issues/200.json', list: 'scan' })).id;
  await waitFor(async () => (await env.sends.state(sendId)) === 'done', 30_000, 'the send to finish');
  for (const m of sink.messages) {
    const parsed = await simpleParser(m.raw);
    const html = parsed.html || '';
    const urls: Record<string, string> = {};
    for (const [, url] of html.matchAll(/href="([^"]*\/c\/[^"]+)"/g)) {
      const target = readClickToken(env.config.GAZETTE_SECRET, (url as string).split('/c/')[1] as string);
      if (target) urls[target.linkId] = url as string;
    }
    mail.set(m.to[0] as string, { urls, html, text: parsed.text ?? '' });
  }
  browser = await launchChromium();
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await workers?.close();
  await server?.close();
  await env?.queues.close();
  await sink?.close();
  await t?.cleanup();
});

const request = (url: string, method: 'GET' | 'HEAD', headers: Record<string, string>) =>
  fetch(url, { method, redirect: 'manual', headers });
const tokenOf = (url: string) => url.split('/c/')[1] as string;

describe('the hidden trap link', () => {
  it('is in the HTML of every message, signed for its reader, and not in the text part', () => {
    expect(mail.size).toBe(READERS);
    for (const [to, m] of mail) {
      const trap = m.urls[TRAP_LINK];
      expect(trap, to).toBeDefined();
      expect(readClickToken(env.config.GAZETTE_SECRET, tokenOf(trap as string))?.renderedAt).toBeGreaterThan(
        Date.now() - 120_000,
      );
      expect(m.text).not.toContain(tokenOf(trap as string));
      expect(m.text).not.toContain(TRAP_LINK);
      // The text part has every other link.
      expect(m.text).toContain(tokenOf(m.urls.a1 as string));
    }
  });

  it.each([600, 375])(
    'is invisible at %i px in Chromium, out of the tab order, and axe finds nothing about it',
    async (width) => {
      const { html, urls } = reader(0);
      const token = tokenOf(urls[TRAP_LINK] as string);
      const page = await browser.newPage({ viewport: { width, height: 900 } });
      await page.route('**/*', (route) => route.abort());
      await page.setContent(html, { waitUntil: 'domcontentloaded' });
      const trap = page.locator(`a[href*="${token}"]`);
      expect(await trap.count()).toBe(1);
      expect(await trap.isVisible()).toBe(false);
      expect(await trap.boundingBox()).toBeNull();
      expect(await page.locator('div[aria-hidden="true"]', { has: trap }).boundingBox()).toBeNull();
      // Tabbing through every link of the message never lands on it.
      const links = await page.locator('a[href]').count();
      const focused: string[] = [];
      for (let i = 0; i < links + 1; i++) {
        await page.keyboard.press('Tab');
        focused.push(await page.evaluate(() => document.activeElement?.getAttribute('href') ?? ''));
      }
      expect(focused.filter((href) => href.includes(token))).toEqual([]);
      expect(focused.filter((href) => href.includes('/c/')).length).toBeGreaterThan(5);

      const axe = async () => {
        await page.evaluate(await readFile('node_modules/axe-core/axe.min.js', 'utf8'));
        return page.evaluate(async () => {
          const run = await (
            globalThis as unknown as {
              axe: {
                run(
                  c: unknown,
                  o: unknown,
                ): Promise<{ violations: { id: string; nodes: { html: string }[] }[] }>;
              };
            }
          ).axe.run(document, {
            runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] },
          });
          return run.violations.map((v) => ({ id: v.id, nodes: v.nodes.map((n) => n.html) }));
        });
      };
      const withTrap = await axe();
      const aboutTrap = withTrap.filter((v) =>
        v.nodes.some((n) => n.includes(token) || n.includes('mso-hide:all')),
      );
      expect(aboutTrap).toEqual([]);
      // The same message without the trap has the very same findings (the trap adds none).
      await page.evaluate((tok) => {
        document.querySelector(`a[href*="${tok}"]`)?.parentElement?.remove();
      }, token);
      expect(await page.locator(`a[href*="${token}"]`).count()).toBe(0);
      const without = await axe();
      expect(withTrap.map((v) => v.id).sort()).toEqual(without.map((v) => v.id).sort());
      await page.close();
    },
    60_000,
  );
});

describe('a link scanner and three people', () => {
  it('counts the three people on the article they opened, the scanner apart, and ranks by people', async () => {
    // The gateway, right after delivery: every link of reader 0's message, HEAD then GET, all at once,
    // and the hidden link last, so that the clicks already counted must be taken back.
    const scanned = Object.entries(reader(0).urls);
    expect(scanned.length).toBeGreaterThan(10);
    const started = Date.now();
    const scan = async ([link, url]: [string, string]) => {
      const head = await request(url, 'HEAD', { 'user-agent': CHROME_WIN });
      const get = await request(url, 'GET', { 'user-agent': CHROME_WIN });
      return { link, head, get, body: await get.text() };
    };
    const answers = await Promise.all(scanned.filter(([link]) => link !== TRAP_LINK).map(scan));
    answers.push(await scan([TRAP_LINK, reader(0).urls[TRAP_LINK] as string]));
    expect(Date.now() - started).toBeLessThan(5_000);
    const compiled = await env.sends.compiled(sendId);
    for (const { link, head, get, body } of answers) {
      if (link === TRAP_LINK) {
        // A small 200 that leads nowhere and asks not to be indexed.
        expect([head.status, get.status, get.headers.get('location'), body]).toEqual([200, 200, null, '']);
        expect(get.headers.get('x-robots-tag')).toBe('noindex');
      } else {
        // The redirect works for everyone: a person behind the scanner still gets the page.
        expect([head.status, get.status], link).toEqual([302, 302]);
        expect(get.headers.get('location'), link).toBe(compiled.links[link]);
      }
    }

    // 20 s later, three people (reader 0 among them, behind that gateway) each open article a1.
    skew = 25_000;
    for (const [i, agent] of PEOPLE_AGENTS.entries()) {
      const res = await request(reader(i).urls.a1 as string, 'GET', {
        'user-agent': agent,
        'x-forwarded-for': `198.51.100.${i + 1}`,
      });
      expect(res.status).toBe(302);
      expect(res.headers.get('location')).toBe('https://news.example/200/a1');
    }
    // A known scanner's user agent and a listed network (CLICK_MACHINE_NETS, through TRUST_PROXY) are
    // machines even late: these lists name software, which a person's browser never is.
    const scanners: { i: number; headers: Record<string, string> }[] = [
      { i: 3, headers: { 'user-agent': 'Barracuda Sentinel (EE)' } },
      { i: 4, headers: { 'user-agent': CHROME_WIN, 'x-forwarded-for': '192.0.2.77' } },
    ];
    for (const { i, headers } of scanners) {
      const res = await request(reader(i).urls.a2 as string, 'GET', headers);
      expect(res.status).toBe(302);
      expect(res.headers.get('location')).toBe('https://news.example/200/a2');
    }

    const report = await sendReport(
      {
        redis: t.redis,
        prefix: t.prefix,
        sends: env.sends,
        subscribers: env.subscribers,
        clicks: createClickStore({ redis: t.redis, prefix: t.prefix }),
        bounces: bounceStoreOf(t.redis, env.config),
      },
      sendId,
    );
    expect(report).toMatchObject({ delivered: READERS, uniqueClicks: 3, totalClicks: 3 });
    expect(report?.clickRate).toBeCloseTo(3 / READERS);
    const byLink = Object.fromEntries(report?.links.map((l) => [l.linkId, l]) ?? []);
    expect(report?.links[0]).toMatchObject({ linkId: 'a1', total: 3, unique: 3 });
    for (const link of Object.keys(compiled.links)) {
      if (link === 'a1') continue;
      expect([byLink[link]?.total, byLink[link]?.unique], link).toEqual([0, 0]);
      // The scanner's HEAD and GET on every link are kept, apart.
      expect(byLink[link]?.machine, link).toBeGreaterThanOrEqual(link === 'a2' ? 4 : 2);
    }
    expect(byLink.a1?.machine).toBe(2);
    expect(byLink[TRAP_LINK]).toBeUndefined();
    expect(report?.machineClicks).toBe(2 * Object.keys(compiled.links).length + 2);
    expect(report?.timeline.clicks.reduce((s, [, n]) => s + n, 0)).toBe(3);

    // The next issue's ranking: the one article people opened, not the scanner's every link.
    const issue = await loadIssue('issues/201.json');
    const filled = await fillRanking(
      {
        sends: env.sends,
        clicks: createClickStore({ redis: t.redis, prefix: t.prefix }),
        note: () => {},
      },
      { ...issue, ranking: { ...(issue.ranking as NonNullable<typeof issue.ranking>), from: 200 } },
    );
    expect(filled.ranking?.items.map((i) => i.url)).toEqual(['https://news.example/200/a1']);
  }, 60_000);
});
