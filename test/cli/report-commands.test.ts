import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBounceStore } from '../../src/bounces/bounce-store.ts';
import { bounceStoreOf } from '../../src/bounces/policy.ts';
import { createClickStore } from '../../src/clicks/click-store.ts';
import { compileIssue } from '../../src/compose/render.ts';
import { loadIssue } from '../../src/issue/load.ts';
import type { SendReport } from '../../src/report/send-report.ts';
import { createSendStore } from '../../src/send/record/send-store.ts';
import { createPreviewApp } from '../../src/server/preview/preview.ts';
import { runCli } from '../helpers/cli.ts';
import { ISSUES_DIR, issue201Json } from '../helpers/issues.ts';
import { type TestRedis, testRedis } from '../helpers/redis.ts';
import { sendRecordFixture, testConfig } from '../helpers/send-env.ts';

const SEND = 'sclireport1';
let t: TestRedis;
let dir: string;
let cliEnv: Record<string, string>;

beforeAll(async () => {
  t = await testRedis('report-cli');
  dir = await mkdtemp(join(tmpdir(), 'gazette-report-'));
  // Issue files written here have their images beside them, as build requires.
  await cp(join(ISSUES_DIR, 'images/201'), join(dir, 'images/201'), { recursive: true });
  const config = testConfig(t.prefix);
  cliEnv = { REDIS_PREFIX: t.prefix, GAZETTE_SECRET: config.GAZETTE_SECRET, PUBLIC_URL: config.PUBLIC_URL };
  const sends = createSendStore({
    redis: t.redis,
    prefix: t.prefix,
    bounces: bounceStoreOf(t.redis, config),
  });
  const issue = await loadIssue('test/fixtures/issues/200.json');
  const compiled = await compileIssue(issue, { publicUrl: config.PUBLIC_URL, tracking: true });
  const now = Date.now();
  await sends.create(
    sendRecordFixture({
      id: SEND,
      list: 'cli',
      issue: 200,
      subject: issue.subject,
      fanoutDone: true,
      expected: 4,
      from: config.MAIL_FROM,
    }),
    compiled,
  );
  await sends.advance(SEND, 4, 4);
  for (const sub of [1, 2, 3]) await sends.settle(SEND, { subscriberId: sub, outcome: 'delivered' });
  await sends.settle(SEND, {
    subscriberId: 4,
    outcome: 'failed',
    cause: 'recipient',
    words: '550 5.1.1 user unknown',
  });
  // Recorded the way the bounce policy records a relay's refusal.
  const bounces = createBounceStore({ redis: t.redis, prefix: t.prefix, rawDays: 1, softDays: 30 });
  await bounces.record({
    identity: 'report-cli-4',
    suppressAt: 3,
    event: {
      at: now,
      email: 'r4@example.org',
      subscriber: 4,
      send: SEND,
      kind: 'soft',
      reason: 'mailbox_full',
      status: '4.2.2',
      diagnostic: '452 4.2.2 mailbox full',
      source: 'smtp',
      code: '452',
      verified: true,
      raw: '',
    },
  });
  const clicks = createClickStore({ redis: t.redis, prefix: t.prefix });
  // Read for a while first: a person's clicks, not a scanner's burst.
  for (const [link, sub] of [
    ['a2', 1],
    ['a2', 2],
    ['a4', 1],
  ] as const)
    await clicks.record(SEND, link, sub, { renderedAt: Date.now() - 60_000 });
  await clicks.record(SEND, 'a2', 3, { kind: 'machine' });
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
  await t?.cleanup();
});

describe('gazette report', () => {
  it('prints the figures of a send as JSON and as text', async () => {
    const json = await runCli(['report', SEND, '--json'], cliEnv);
    expect(json.code).toBe(0);
    const r = JSON.parse(json.stdout) as SendReport;
    expect(r).toMatchObject({
      delivered: 3,
      failed: 1,
      bounced: 1,
      bouncesByReason: { mailbox_full: 1 },
      totalClicks: 3,
      uniqueClicks: 2,
      machineClicks: 1,
    });
    expect(r.links.map((l) => [l.linkId, l.total, l.unique, l.machine, l.url])).toEqual([
      ['a2', 2, 2, 1, 'https://news.example/200/a2'],
      ['a4', 1, 1, 0, 'https://news.example/200/a4'],
    ]);
    expect(r.timeline.deliveries.reduce((s, [, n]) => s + n, 0)).toBe(3);
    const text = await runCli(['report', SEND], cliEnv);
    expect(text.stdout).toContain('bounced       1 (mailbox_full 1)');
    expect(text.stdout).toContain('clicks        3 by 2 reader(s): click rate 66.7%');
    expect(text.stdout).toContain('machine clicks 1 (link scanners, prefetches; not counted above)');
  });

  it('names a send that does not exist', async () => {
    const r = await runCli(['report', 'snosuch'], cliEnv);
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toBe('There is no send "snosuch"; `gazette status` lists the sends.');
  });

  it('shows the report in the preview with a chart', async () => {
    const { sendReport } = await import('../../src/report/send-report.ts');
    const { createSubscriberStore } = await import('../../src/subscribers/subscriber-store.ts');
    const prefix = t.prefix;
    const deps = {
      redis: t.redis,
      prefix,
      sends: createSendStore({ redis: t.redis, prefix, bounces: bounceStoreOf(t.redis, testConfig(prefix)) }),
      bounces: bounceStoreOf(t.redis, testConfig(prefix)),
      subscribers: createSubscriberStore({ redis: t.redis, prefix }),
      clicks: createClickStore({ redis: t.redis, prefix }),
    };
    const preview = createPreviewApp({ dir: 'issues', report: (id) => sendReport(deps, id) });
    try {
      const res = await preview.app.request(`/sends/${SEND}`);
      expect(res.status).toBe(200);
      const page = await res.text();
      expect(page).toContain('<svg');
      expect(page).toContain('<polyline');
      expect(page).toContain('https://news.example/200/a2');
      expect((await preview.app.request('/sends/snosuch')).status).toBe(404);
    } finally {
      preview.close();
    }
  });
});

describe('gazette build with a ranking from an earlier issue', () => {
  async function write(ranking: Record<string, unknown>): Promise<string> {
    const json = issue201Json();
    json.ranking = ranking;
    const file = join(dir, `201-${Math.random().toString(36).slice(2)}.json`);
    await writeFile(file, JSON.stringify(json));
    return file;
  }

  it('fills the ranking from the clicks of issue 200, with no tracked link in the output', async () => {
    const out = join(dir, 'dist');
    const r = await runCli(['build', await write({ from: 200 }), '--out', out], cliEnv);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const html = await readFile(join(out, '201', 'index.html'), 'utf8');
    expect(html).toContain('href="https://news.example/200/a2"');
    expect(html).not.toContain('/c/');
    const text = await readFile(join(out, '201', 'index.txt'), 'utf8');
    expect(text.indexOf('https://news.example/200/a2')).toBeLessThan(
      text.indexOf('https://news.example/200/a4'),
    );
  });

  it('notes the fallback when there are no clicks, and fails clearly without items', async () => {
    const withItems = await runCli(
      [
        'build',
        await write({ from: 150, items: [{ title: 'Old', url: 'https://news.example/old' }] }),
        '--out',
        join(dir, 'd2'),
      ],
      cliEnv,
    );
    expect(withItems.code).toBe(0);
    expect(withItems.stderr).toContain(
      'note: ranking.from: issue 150 has not been sent yet; using the 1 item(s) given in the issue.',
    );
    const without = await runCli(['build', await write({ from: 150 }), '--out', join(dir, 'd3')], cliEnv);
    expect(without.code).toBe(1);
    expect(without.stderr.trim()).toBe(
      'ranking.from: issue 150 has not been sent yet, and the ranking lists no items to fall back on; add "items" to the ranking or remove "from".',
    );
  });
});
