import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { simpleParser } from 'mailparser';
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bounceStoreOf } from '../../src/bounces/policy.ts';
import { createClickStore } from '../../src/clicks/click-store.ts';
import { parseIssue } from '../../src/issue/load.ts';
import { fillRanking } from '../../src/report/fill-ranking.ts';
import { sendReport } from '../../src/report/send-report.ts';
import { createSend } from '../../src/send/control/schedule.ts';
import { STALLED_TOO_OFTEN, settleFailedBatch } from '../../src/send/jobs/failed-batch.ts';
import { type RunningServer, startServer } from '../../src/server/public/start.ts';
import { createSubscriberStore } from '../../src/subscribers/subscriber-store.ts';
import { verifyToken } from '../../src/tokens.ts';
import { createConfirmWorker } from '../../workers/confirm.worker.ts';
import { type RunningWorkers, startWorkers } from '../../workers/index.ts';
import { runCli } from '../helpers/cli.ts';
import { sampleCompiled } from '../helpers/compiled.ts';
import { type TestRedis, testRedis } from '../helpers/redis.ts';
import {
  addReaders,
  type SendEnv,
  sendEnv,
  sendRecordFixture,
  testConfig,
  waitFor,
} from '../helpers/send-env.ts';
import { serverStores } from '../helpers/server-stores.ts';
import { startTestSink, type TestSink } from '../helpers/smtp-sink.ts';

const EN_SUBJECT = 'I · SEOUL · U No.200 — October (English edition)';
const EN_A5 = 'Seoul in autumn: the fifth article in English';
const EN_A5_URL = 'https://news.example/en/200/a5';

let t: TestRedis;
let sink: TestSink;
let env: SendEnv;
let workers: RunningWorkers;
let server: RunningServer;
let dir: string;
/** The parts of an issue's JSON the editions here change. */
type IssueJson = Record<string, unknown> & {
  locale: string;
  subject: string;
  sections: { articles: { id: string; title: string }[] }[];
};
let ja: IssueJson;
let sendId: string;
/** Each reader's message: subject, HTML, text and click URLs by link id. */
const received = new Map<
  string,
  { subject: string; html: string; text: string; clicks: Record<string, string> }
>();

/** The fixture No.200 (ja) with an English edition beside it in a folder of its own. */
async function editionFiles(edit: (en: IssueJson) => void = () => {}): Promise<string> {
  const folder = await mkdtemp(join(tmpdir(), 'gz-editions-'));
  const en = structuredClone(ja);
  en.locale = 'en';
  en.subject = EN_SUBJECT;
  for (const section of en.sections) {
    for (const a of section.articles) if (a.id === 'a5') Object.assign(a, { title: EN_A5, url: EN_A5_URL });
  }
  // The English edition leaves a7 out: allowed, a warning.
  for (const section of en.sections) section.articles = section.articles.filter((a) => a.id !== 'a7');
  edit(en);
  await writeFile(join(folder, '200.json'), JSON.stringify(ja));
  await writeFile(join(folder, '200.en.json'), JSON.stringify(en));
  return join(folder, '200.json');
}

beforeAll(async () => {
  t = await testRedis('editions');
  sink = await startTestSink();
  ja = JSON.parse(await readFile('test/fixtures/issues/200.json', 'utf8'));
  const config0 = testConfig(t.prefix);
  const store = createSubscriberStore({ redis: t.redis, prefix: t.prefix });
  server = await startServer(
    {
      redis: t.redis,
      subscribers: store,
      ...serverStores(t.redis, config0),
      config: config0,
      mailer: nodemailer.createTransport({ jsonTransport: true }),
      log: () => {},
      confirmWorker: createConfirmWorker,
    },
    0,
    '127.0.0.1',
  );
  env = sendEnv(
    t.redis,
    testConfig(t.prefix, { SMTP_URL: sink.url, PUBLIC_URL: `http://127.0.0.1:${server.port}` }),
  );
  workers = await startWorkers(env.config, () => {});
  await addReaders(env.subscribers, 'intl', 2, { domain: 'ja.example', locale: 'ja' });
  await addReaders(env.subscribers, 'intl', 2, { domain: 'en.example', locale: 'en' });
  await addReaders(env.subscribers, 'intl', 1, { domain: 'ko.example', locale: 'ko' });
  const file = await editionFiles();
  dir = file;
  const send = await createSend(env, { issueFile: file, list: 'intl' });
  sendId = send.id;
  expect(send.editions).toEqual(['ja', 'en']);
  await waitFor(async () => (await env.sends.state(sendId)) === 'done', 30_000, 'the send to finish');
  for (const m of sink.messages) {
    const parsed = await simpleParser(m.raw);
    const clicks: Record<string, string> = {};
    for (const [, url] of (parsed.html || '').matchAll(/href="([^"]*\/c\/[^"]+)"/g)) {
      const read = verifyToken(env.config.GAZETTE_SECRET, 'click', (url as string).split('/c/')[1] as string);
      if (read.ok) clicks[read.fields[2] as string] = url as string;
    }
    received.set(m.to[0] as string, {
      subject: parsed.subject ?? '',
      html: parsed.html || '',
      text: parsed.text ?? '',
      clicks,
    });
  }
}, 60_000);

afterAll(async () => {
  await workers?.close();
  await server?.close();
  await env?.queues.close();
  await sink?.close();
  await t?.cleanup();
});

const click = (reader: string, link: string) =>
  fetch(received.get(reader)?.clicks[link] as string, { redirect: 'manual' });

describe('a number in two editions', () => {
  it('gives each reader the edition of their locale, and a ko reader the default one', () => {
    expect(received.size).toBe(5);
    for (const reader of ['reader0@ja.example', 'reader1@ja.example', 'reader0@ko.example']) {
      const m = received.get(reader);
      expect(m?.subject).toBe(ja.subject);
      expect(m?.text).toContain('Article 5 of issue 200');
      expect(m?.text).not.toContain(EN_A5);
      expect(m?.text).toMatch(/\/archive\/200(?!\/)/);
    }
    for (const reader of ['reader0@en.example', 'reader1@en.example']) {
      const m = received.get(reader);
      expect(m?.subject).toBe(EN_SUBJECT);
      expect(m?.text).toContain(EN_A5);
      expect(m?.html).toContain(EN_A5);
      expect(m?.text).not.toContain('Article 5 of issue 200');
      expect(m?.text).toContain('/archive/200/en');
      // The English chrome, not the Japanese one, and the article the edition left out is not there.
      expect(m?.clicks.a7).toBeUndefined();
      expect(m?.clicks.a5).toBeDefined();
    }
  });

  it('counts a click on the same article in the ja and the en message as two readers of that id', async () => {
    // Each reader lands on the article in their edition: one link id, the edition's own URL.
    const jaClick = await click('reader0@ja.example', 'a5');
    expect([jaClick.status, jaClick.headers.get('location')]).toEqual([302, 'https://news.example/200/a5']);
    const enClick = await click('reader0@en.example', 'a5');
    expect([enClick.status, enClick.headers.get('location')]).toEqual([302, EN_A5_URL]);
    // The lead, earlier in the issue, clicked by one ja reader: a tie with a5 if only one edition counted.
    expect((await click('reader1@ja.example', 'a1')).status).toBe(302);
    const clicks = await createClickStore({ redis: t.redis, prefix: t.prefix }).forSend(sendId);
    expect(clicks.links.find((l) => l.linkId === 'a5')).toMatchObject({ unique: 2, total: 2 });
  });

  it('reports the totals and each edition', async () => {
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
    expect(report).toMatchObject({ delivered: 5, uniqueClicks: 3 });
    expect(report?.editions).toEqual({
      // Each link's people split by edition: a5 once in each, the lead only in ja.
      ja: { delivered: 3, failed: 0, bounced: 0, uniqueClicks: 2, clickRate: 2 / 3, links: { a5: 1, a1: 1 } },
      en: { delivered: 2, failed: 0, bounced: 0, uniqueClicks: 1, clickRate: 0.5, links: { a5: 1 } },
    });
    const cli = await runCli(['report', sendId, '--json'], {
      REDIS_PREFIX: t.prefix,
      REDIS_URL: env.config.REDIS_URL,
    });
    expect(cli.code).toBe(0);
    expect(Object.keys(JSON.parse(cli.stdout).editions)).toEqual(['ja', 'en']);
  });

  it("ranks the next number by the readers of both editions, each in its own edition's words", async () => {
    const next = (issue: Record<string, unknown>) =>
      parseIssue({ ...structuredClone(issue), number: 201, ranking: { from: 200 } });
    const en = JSON.parse(await readFile(dir.replace(/200\.json$/, '200.en.json'), 'utf8'));
    const deps = {
      sends: env.sends,
      clicks: createClickStore({ redis: t.redis, prefix: t.prefix }),
      note: () => {},
    };
    const rankedJa = await fillRanking(deps, next(ja));
    const rankedEn = await fillRanking(deps, next(en));
    expect(rankedJa.ranking?.items.map((i) => i.title)).toEqual([
      'Article 5 of issue 200 <b>&</b>',
      'Article 1 of issue 200 <b>&</b>',
    ]);
    expect(rankedEn.ranking?.items.map((i) => i.title)).toEqual([EN_A5, 'Article 1 of issue 200 <b>&</b>']);
  });
});

describe('a batch that failed for good', () => {
  it("counts each recipient's failure in their edition", async () => {
    const [jaReader] = await addReaders(env.subscribers, 'stuck', 1, {
      domain: 'stuck-ja.example',
      locale: 'ja',
    });
    const [enReader] = await addReaders(env.subscribers, 'stuck', 1, {
      domain: 'stuck-en.example',
      locale: 'en',
    });
    const record = sendRecordFixture({ id: 'sstuck', issue: 200, editions: ['ja', 'en'], expected: 2 });
    await env.sends.create(record, [sampleCompiled({ locale: 'ja' }), sampleCompiled({ locale: 'en' })]);
    const deps = { sends: env.sends, subscribers: env.subscribers, config: env.config, log: () => {} };
    const ids = [jaReader as number, enReader as number];
    expect(await settleFailedBatch(deps, { sendId: record.id, ids }, STALLED_TOO_OFTEN)).toBe(2);
    expect(await t.redis.hgetall(env.sends.keysOf(record.id).editionCounts)).toEqual({
      '0:failed': '1',
      '1:failed': '1',
    });
    expect((await env.sends.compiled(record.id, 'en')).locale).toBe('en');
    await expect(env.sends.compiled(record.id, 'ko')).rejects.toThrow('has no ko edition');
  });
});

describe('the command line with editions', () => {
  it('says how many readers each edition reaches, and sends only those of --editions', async () => {
    const cliEnv = { REDIS_PREFIX: t.prefix, GAZETTE_SECRET: env.config.GAZETTE_SECRET, SMTP_URL: sink.url };
    const file = await editionFiles();
    const args = ['send', file, '--list', 'intl', '--at', '2099-01-01T09:00', '--json', '--resend', '--yes'];
    const both = await runCli(args, cliEnv);
    expect(both.code).toBe(0);
    expect(both.stderr).toContain('editions: ja 3, en 2 reader(s)');
    const enOnly = await runCli([...args, '--editions', 'en'], cliEnv);
    expect(enOnly.code).toBe(0);
    const ids = [both, enOnly].map((r) => (JSON.parse(r.stdout) as { id: string }).id);
    expect((await env.sends.get(ids[0] as string))?.editions).toEqual(['ja', 'en']);
    expect((await env.sends.get(ids[1] as string))?.editions).toEqual(['en']);
    expect((await env.sends.compiled(ids[1] as string)).subject).toBe(EN_SUBJECT);
    for (const id of ids) expect((await runCli(['cancel', id], cliEnv)).code).toBe(0);
  }, 60_000);

  it('builds the default edition into dist/<n>/ and each other edition into dist/<n>/<locale>/', async () => {
    const out = await mkdtemp(join(tmpdir(), 'gz-editions-dist-'));
    const res = await runCli(['build', await editionFiles(), '--out', out]);
    expect(res.code).toBe(0);
    const base = await readFile(join(out, '200', 'index.html'), 'utf8');
    const en = await readFile(join(out, '200', 'en', 'index.html'), 'utf8');
    expect(base).toContain('Article 5 of issue 200');
    expect(en).toContain(EN_A5);
    expect(en).not.toContain('Article 5 of issue 200');
  });
});

describe('the preview with editions', () => {
  it('links each edition of a number from the page of another, and shows them side by side', async () => {
    const { startPreview } = await import('../../src/server/preview/preview-server.ts');
    const file = await editionFiles();
    const preview = await startPreview({
      dir: dirname(file),
      port: 0,
      outboxDir: join(dirname(file), 'outbox'),
    });
    try {
      const en = await (await fetch(`${preview.url}/issues/200.en.json`)).text();
      expect(en).toContain('href="/issues/200.json"');
      expect(en).toContain(EN_SUBJECT);
      const base = await (await fetch(`${preview.url}/issues/200.json`)).text();
      expect(base).toContain('href="/issues/200.en.json"');
      // Every edition framed beside the others at a phone's width, each the real mail of its file.
      const frames = [...base.matchAll(/<iframe title="([^"]+) at 375 px" src="([^"]+)"/g)];
      expect(frames.map((m) => m[1])).toEqual(['200.json', '200.en.json']);
      const enMail = await (await fetch(`${preview.url}${frames[1]?.[2]}`)).text();
      expect(enMail).toContain(EN_SUBJECT);
    } finally {
      await preview.close();
    }
  });
});

describe('validate with editions', () => {
  it('refuses an edition with an article id the default edition lacks, naming the file and the path', async () => {
    const file = await editionFiles((en) => {
      (en.sections[0]?.articles[0] as { id: string }).id = 'made-up';
    });
    const res = await runCli(['validate', file]);
    expect(res.code).toBe(1);
    expect(res.stderr).toContain('200.en.json');
    expect(res.stderr).toContain('sections[0].articles[0].id');
    expect(res.stderr).toContain('"made-up"');
  });

  it('passes a good edition, warning about the article it leaves out', async () => {
    const res = await runCli(['validate', await editionFiles()]);
    expect(res.code).toBe(0);
    expect(res.stdout).toContain(`leaves out the default edition's article "a7"`);
    expect(res.stdout).toContain('ok (editions: ja, en)');
  });
});
