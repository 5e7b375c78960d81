import { mkdtemp, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bounceStoreOf } from '../../src/bounces/policy.ts';
import { createClickStore } from '../../src/clicks/click-store.ts';
import { clickToken, readClickToken } from '../../src/clicks/click-token.ts';
import { compileIssue } from '../../src/compose/render.ts';
import { loadIssue } from '../../src/issue/load.ts';
import { fillRanking } from '../../src/report/fill-ranking.ts';
import { sendReport } from '../../src/report/send-report.ts';
import { createSend } from '../../src/send/control/schedule.ts';
import { type RunningServer, startServer } from '../../src/server/public/start.ts';
import { signToken, verifyToken } from '../../src/tokens.ts';
import { createConfirmWorker } from '../../workers/confirm.worker.ts';
import { type RunningWorkers, startWorkers } from '../../workers/index.ts';
import { type TestRedis, testRedis } from '../helpers/redis.ts';
import { addReaders, type SendEnv, sendEnv, testConfig, waitFor } from '../helpers/send-env.ts';
import { serverStores } from '../helpers/server-stores.ts';
import { startTestSink, type TestSink } from '../helpers/smtp-sink.ts';

const ISSUE_200 = 'test/fixtures/issues/200.json';
const READERS = 6;
/** reader5 does not exist at the relay: a hard bounce. */
const DEAD = 'reader5@loop.example';

/** sax in strict mode: a real XML parser that throws on anything not well-formed. */
const sax = createRequire(import.meta.url)('sax') as {
  parser(strict: boolean): {
    onerror: (e: Error) => void;
    onopentag: (tag: { name: string }) => void;
    ontext: (t: string) => void;
    oncdata: (t: string) => void;
    write(xml: string): { close(): void };
  };
};

let t: TestRedis;
let sink: TestSink;
let env: SendEnv;
let workers: RunningWorkers;
let server: RunningServer;
let base: string;
/** The server's own PUBLIC_URL (the archive and feed links); mail links use the server's real port. */
const SITE = 'https://gazette.test';
let sendId: string;
/** Each delivered reader's click URLs by link id, parsed from the received HTML. */
const clickUrls = new Map<string, Record<string, string>>();
const textBodies: string[] = [];
const textOf = new Map<string, string>();
const unsubscribeTokens: string[] = [];

const clicks = () => createClickStore({ redis: t.redis, prefix: t.prefix });

beforeAll(async () => {
  t = await testRedis('click-loop');
  sink = await startTestSink((address) =>
    address === DEAD ? { code: 550, message: '5.1.1 <reader5@loop.example>: user unknown' } : null,
  );
  const config0 = testConfig(t.prefix);
  expect(config0.PUBLIC_URL).toBe(SITE);
  const mailer = nodemailer.createTransport({ jsonTransport: true });
  const { createSubscriberStore } = await import('../../src/subscribers/subscriber-store.ts');
  const store = createSubscriberStore({ redis: t.redis, prefix: t.prefix });
  server = await startServer(
    {
      confirmWorker: createConfirmWorker,
      redis: t.redis,
      subscribers: store,
      ...serverStores(t.redis, config0),
      config: config0,
      mailer,
      log: () => {},
    },
    0,
    '127.0.0.1',
  );
  base = `http://127.0.0.1:${server.port}`;
  env = sendEnv(t.redis, testConfig(t.prefix, { SMTP_URL: sink.url, PUBLIC_URL: base }));
  workers = await startWorkers(env.config, () => {});
  await addReaders(env.subscribers, 'loop', READERS, { domain: 'loop.example' });
  const send = await createSend(env, { issueFile: ISSUE_200, list: 'loop' });
  sendId = send.id;
  await waitFor(async () => (await env.sends.state(sendId)) === 'done', 30_000, 'the send to finish');
  for (const m of sink.messages) {
    const parsed = await simpleParser(m.raw);
    const urls: Record<string, string> = {};
    for (const [, url] of (parsed.html || '').matchAll(/href="([^"]*\/c\/[^"]+)"/g)) {
      const token = (url as string).split('/c/')[1] as string;
      const read = verifyToken(env.config.GAZETTE_SECRET, 'click', token);
      if (read.ok) urls[read.fields[2] as string] = url as string;
    }
    clickUrls.set(m.to[0] as string, urls);
    textBodies.push(parsed.text ?? '');
    textOf.set(m.to[0] as string, parsed.text ?? '');
    const u = /\/u\/([a-z0-9._-]+)/.exec(parsed.text ?? '');
    if (u) unsubscribeTokens.push(u[1] as string);
  }
}, 60_000);

afterAll(async () => {
  await workers?.close();
  await server?.close();
  await env?.queues.close();
  await sink?.close();
  await t?.cleanup();
});

const BROWSER =
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15';
/**
 * A reader's click as a person makes it: from a browser, half a minute after the mail arrived (the
 * token signed again with that earlier render time), so that clicking several links in a row here is
 * not a link scanner's burst (test/clicks/link-scanners.test.ts has the scanners). Other tokens go as they are.
 */
function follow(url: string) {
  const [origin, token] = url.split('/c/') as [string, string | undefined];
  const secret = env.config.GAZETTE_SECRET;
  const target = token === undefined ? null : readClickToken(secret, token);
  const asRead = target
    ? `${origin}/c/${clickToken(secret, { ...target, renderedAt: Date.now() - 30_000 })}`
    : url;
  return fetch(asRead, { redirect: 'manual', headers: { 'user-agent': BROWSER } });
}
const urlOf = (reader: number, link: string) =>
  clickUrls.get(`reader${reader}@loop.example`)?.[link] as string;

describe('click tracking from a received message', () => {
  it('puts a tracked link for every article, the photo, the ranking and the footer into html and text, never for unsubscribe', () => {
    const mine = clickUrls.get('reader0@loop.example') ?? {};
    expect(Object.keys(mine).sort()).toEqual(
      [
        'a1',
        'a2',
        'a3',
        'a4',
        'a5',
        'a6',
        'a7',
        '_footer-1',
        '_footer-2',
        '_footer-3',
        '_footer-4',
        '_photo',
        '_ranking-1',
        '_trap',
      ].sort(),
    );
    // The hidden trap link is in the HTML only (test/clicks/link-scanners.test.ts checks it is hidden).
    expect(textOf.get('reader0@loop.example')).not.toContain((mine._trap as string).split('/c/')[1]);
    const text = textBodies[0] as string;
    // send . reader . link . render time . expiry (none) . signature
    expect(text).toMatch(/\/c\/[a-z0-9]+\.\d+\.a1\.[0-9a-z]+\.0\.[0-9a-f]{24}/);
    expect(text).not.toContain('https://news.example/200/a1');
    expect(text).toMatch(/\/u\/[a-z0-9._-]+/);
    expect(text).toContain(`${base}/archive/200`);
  });

  it('redirects to the article stored with the send and counts a reader once within seconds', async () => {
    const first = await follow(urlOf(0, 'a3'));
    expect(first.status).toBe(302);
    expect(first.headers.get('location')).toBe('https://news.example/200/a3');
    const again = await follow(urlOf(0, 'a3'));
    expect(again.status).toBe(302);
    const a3 = (await clicks().forSend(sendId)).links.find((l) => l.linkId === 'a3');
    expect(a3).toEqual({ linkId: 'a3', total: 1, unique: 1, machine: 0 });
  });

  it('answers 404 without a Location to a tampered token, another purpose, a link not in the send', async () => {
    const good = urlOf(1, 'a1');
    const token = good.split('/c/')[1] as string;
    const flipped = `${token.slice(0, -1)}${token.endsWith('0') ? '1' : '0'}`;
    const retargeted = token.replace('.a1.', '.a2.');
    const secret = env.config.GAZETTE_SECRET;
    const [sub] = token.split('.').slice(1, 2);
    const otherPurpose = signToken(secret, 'unsubscribe', [sendId, sub as string, 'a1']);
    const notInSend = signToken(secret, 'click', [sendId, sub as string, 'nope']);
    const unknownSend = signToken(secret, 'click', ['snosuchsend', sub as string, 'a1']);
    for (const bad of [
      flipped,
      retargeted,
      otherPurpose,
      notInSend,
      unknownSend,
      'x',
      `${unsubscribeTokens[0]}`,
    ]) {
      const res = await follow(`${base}/c/${bad}`);
      expect(res.status, bad).toBe(404);
      expect(res.headers.get('location'), bad).toBeNull();
      expect(await res.text()).toContain('This link does not work');
    }
    expect((await clicks().forSend(sendId)).links.find((l) => l.linkId === 'a1')).toBeUndefined();
  });
});

describe('ranking from the clicks of an earlier issue', () => {
  // Totals a3 4, a1 3, a5 3 (a1 before a5 in the issue), a7 2, a2 1, a6 1: the top five are a3 a1 a5 a7 a2.
  const plan: Record<string, number> = { a3: 4, a1: 3, a5: 3, a7: 2, a2: 1, a6: 1 };

  async function issue201From(items: boolean, from = 200): Promise<string> {
    const json = JSON.parse(await (await import('node:fs/promises')).readFile('issues/201.json', 'utf8'));
    json.ranking = {
      from,
      title: 'クリックランキングトップ5',
      ...(items ? { items: json.ranking.items } : {}),
    };
    const dir = await mkdtemp(join(tmpdir(), 'gz-rank-'));
    const file = join(dir, '201.json');
    await writeFile(file, JSON.stringify(json));
    // Its images go with it: build and send refuse an issue whose image files are missing.
    await (await import('node:fs/promises')).cp('issues/images/201', join(dir, 'images/201'), {
      recursive: true,
    });
    return file;
  }

  it('fills issue 201 with the five most-clicked articles of issue 200, in order, with their titles', async () => {
    // reader0 already clicked a3 once (test above).
    for (const [link, n] of Object.entries(plan)) {
      const start = link === 'a3' ? 1 : 0;
      for (let r = start; r < n; r++) expect((await follow(urlOf(r, link))).status).toBe(302);
    }
    const notes: string[] = [];
    const deps = { sends: env.sends, clicks: clicks(), note: (m: string) => notes.push(m) };
    const filled = await fillRanking(deps, await loadIssue(await issue201From(false)));
    expect(filled.ranking?.items.map((i) => i.url)).toEqual(
      ['a3', 'a1', 'a5', 'a7', 'a2'].map((a) => `https://news.example/200/${a}`),
    );
    expect(filled.ranking?.items[0]?.title).toBe('Article 3 of issue 200 <b>&</b>');
    expect(notes).toEqual([]);
    const compiled = await compileIssue(filled, { publicUrl: base });
    expect(compiled.html).toContain('Article 3 of issue 200 &lt;b&gt;&amp;&lt;/b&gt;');
    expect(compiled.links['_ranking-5']).toBe('https://news.example/200/a2');
    // `gazette send` fills it the same way before compiling; scheduled far ahead, it stays unpublished.
    const fill = (i: Parameters<typeof fillRanking>[1]) => fillRanking(deps, i);
    const later = await createSend(
      { ...env, fillRanking: fill },
      { issueFile: await issue201From(false), list: 'loop', at: '2099-01-01T00:00' },
    );
    const stored = await env.sends.compiled(later.id);
    expect(stored.links['_ranking-1']).toBe('https://news.example/200/a3');
    expect(stored.tracked).toBe(true);
  });

  it('with no click data uses the given items with a note, and without items fails clearly', async () => {
    const notes: string[] = [];
    const deps = { sends: env.sends, clicks: clicks(), note: (m: string) => notes.push(m) };
    const withItems = await loadIssue(await issue201From(true, 199));
    const kept = await fillRanking(deps, withItems);
    expect(kept.ranking?.items).toEqual(withItems.ranking?.items);
    expect(notes).toEqual([
      'note: ranking.from: issue 199 has not been sent yet; using the 5 item(s) given in the issue.',
    ]);
    const without = await loadIssue(await issue201From(false, 199));
    await expect(fillRanking(deps, without)).rejects.toThrow(
      'ranking.from: issue 199 has not been sent yet, and the ranking lists no items to fall back on; add "items" to the ranking or remove "from".',
    );
  });
});

describe('web archive', () => {
  it('lists the sent issue and shows it with no personal, unsubscribe or tracked link', async () => {
    const index = await (await fetch(`${base}/archive`)).text();
    expect(index).toContain('href="/archive/200"');
    expect(index).toContain('No.200');
    const res = await fetch(`${base}/archive/200`);
    expect(res.status).toBe(200);
    const page = await res.text();
    expect(page).toContain('https://news.example/200/a1');
    expect(page).toContain(`${SITE}/subscribe`);
    expect(page).not.toContain('/c/');
    expect(page).not.toContain('/u/');
    expect(page).not.toContain('%%GZ_');
    for (const token of unsubscribeTokens) expect(page).not.toContain(token);
    for (const urls of clickUrls.values())
      for (const url of Object.values(urls)) expect(page).not.toContain(url.split('/c/')[1]);
    expect(page).toContain('Article 1 of issue 200 &lt;b&gt;&amp;&lt;/b&gt;');
    expect((await fetch(`${base}/archive/201`)).status).toBe(404);
    expect((await fetch(`${base}/archive/..%2F..`)).status).toBe(404);
  });

  it('publishes a feed that parses as XML and lists the issue', async () => {
    const res = await fetch(`${base}/archive/feed.xml`);
    expect(res.headers.get('content-type')).toContain('xml');
    const xml = await res.text();
    const tags: string[] = [];
    const texts: string[] = [];
    const parser = sax.parser(true);
    parser.onerror = (e) => {
      throw e;
    };
    parser.onopentag = (tag) => tags.push(tag.name);
    parser.ontext = (text) => texts.push(text);
    parser.oncdata = (text) => texts.push(text);
    parser.write(xml).close();
    expect(tags[0]).toBe('rss');
    expect(tags.filter((n) => n === 'item')).toHaveLength(1);
    expect(texts).toContain(`${SITE}/archive/200`);
    expect(texts.join('')).toContain('No.200');
  });
});

describe('send report', () => {
  it('matches what was sent, bounced and clicked', async () => {
    const { createSubscriberStore } = await import('../../src/subscribers/subscriber-store.ts');
    const report = await sendReport(
      {
        redis: t.redis,
        prefix: t.prefix,
        sends: env.sends,
        subscribers: createSubscriberStore({ redis: t.redis, prefix: t.prefix }),
        clicks: clicks(),
        bounces: bounceStoreOf(t.redis, env.config),
      },
      sendId,
    );
    expect(report).toMatchObject({
      issue: 200,
      total: READERS,
      delivered: READERS - 1,
      failed: 1,
      bounced: 1,
      bouncesByReason: { user_unknown: 1 },
      complaints: 0,
      totalClicks: 14,
      uniqueClicks: 4,
      machineClicks: 0,
    });
    expect(report?.clickRate).toBeCloseTo(4 / 5);
    expect(report?.links.map((l) => [l.linkId, l.total, l.unique])).toEqual([
      ['a3', 4, 4],
      ['a1', 3, 3],
      ['a5', 3, 3],
      ['a7', 2, 2],
      ['a2', 1, 1],
      ['a6', 1, 1],
    ]);
    expect(report?.links[0]?.url).toBe('https://news.example/200/a3');
    const delivered = report?.timeline.deliveries.reduce((s, [, n]) => s + n, 0);
    expect(delivered).toBe(READERS - 1);
    expect(report?.timeline.clicks.reduce((s, [, n]) => s + n, 0)).toBe(14);
    expect(report?.timeline.firstDelivery).toBeLessThanOrEqual(report?.timeline.lastDelivery as number);
  });
});
