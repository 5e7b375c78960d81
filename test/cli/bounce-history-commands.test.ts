import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBouncePolicy } from '../../src/bounces/policy.ts';
import { type AddressHistory, addressHistory } from '../../src/cli/address-history.ts';
import { createSendStore } from '../../src/send/send-store.ts';
import { createSubscriberStore } from '../../src/subscribers/store.ts';
import { runCli } from '../helpers/cli.ts';
import { TEST_REDIS_URL, type TestRedis, testRedis } from '../helpers/redis.ts';
import { testConfig } from '../helpers/send-env.ts';

type Run = Awaited<ReturnType<typeof runCli>>;
let t: TestRedis;
let env: Record<string, string>;
let readerId: number;
let history: AddressHistory | null;
/** The CLI runs as real processes, all at once (each start costs seconds on this machine). */
let runs: { list: Run; json: Run; show: Run; unknown: Run };

beforeAll(async () => {
  t = await testRedis('bounce-cli');
  const config = testConfig(t.prefix);
  env = {
    REDIS_URL: TEST_REDIS_URL,
    REDIS_PREFIX: t.prefix,
    GAZETTE_SECRET: config.GAZETTE_SECRET,
    TZ_DEFAULT: 'Asia/Seoul',
  };
  const store = createSubscriberStore({ redis: t.redis, prefix: t.prefix });
  const sends = createSendStore({ redis: t.redis, prefix: t.prefix });
  const policy = createBouncePolicy({ redis: t.redis, config, store, sends, log: () => {} });
  const wording = await store.saveWording('I agree to receive the newsletter.');
  const consent = `i\u001f${Math.floor(Date.now() / 1000).toString(36)}\u001fcli:editor\u001f${wording}`;
  const [row] = await store.createMany([
    {
      email: 'Reader@cli.example',
      name: 'Min-jun',
      locale: 'ko',
      status: 'active',
      lists: ['monthly'],
      consent,
    },
  ]);
  readerId = row?.id as number;
  const base = { source: 'mail' as const, verified: false, status: '4.2.2' };
  await policy.record({
    ...base,
    email: 'reader@cli.example',
    kind: 'soft',
    reason: 'mailbox_full',
    diagnostic: '452 4.2.2 \u001b[31mmailbox full\u001b[0m',
    identity: 'cli-1',
  });
  await policy.record({
    ...base,
    email: 'reader@cli.example',
    kind: 'hard',
    reason: 'user_unknown',
    status: '5.1.1',
    diagnostic: '550 5.1.1 user unknown',
    identity: 'cli-2',
  });
  history = await addressHistory(
    { store, bounces: policy.bounces, settings: policy.settings },
    'READER@cli.example',
  );
  const [list, json, show, unknown] = await Promise.all([
    runCli(['bounces', 'list', '--since', '1h'], env),
    runCli(['bounces', 'list', '--json'], env),
    runCli(['subscribers', 'show', 'READER@cli.example'], env),
    runCli(['subscribers', 'show', 'nobody@cli.example'], env),
  ]);
  runs = { list, json, show, unknown };
});

afterAll(async () => {
  await t?.cleanup();
});

describe('gazette bounces list', () => {
  it('prints recent events one per line, with control characters from remote servers removed', () => {
    const { code, stdout } = runs.list;
    expect(code).toBe(0);
    const lines = stdout.trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(
      /Asia\/Seoul {2}soft +mailbox_full +4\.2\.2 +Reader@cli\.example {2}send - {2}\(mail, unverified\)/,
    );
    expect(lines[0]).toContain(
      'counted: 1 soft bounce in 30 days (suppressed at 3) — 452 4.2.2 [31mmailbox full [0m',
    );
    expect(lines[1]).toMatch(
      /hard +user_unknown +5\.1\.1 .*suppressed: hard bounce — 550 5\.1\.1 user unknown$/,
    );
    expect(stdout).not.toContain('\u001b');
  });

  it('prints one JSON object per event with --json', () => {
    const { code, stdout } = runs.json;
    expect(code).toBe(0);
    const events = stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(events.map((e) => [e.email, e.kind, e.reason, e.subscriber])).toEqual([
      ['Reader@cli.example', 'soft', 'mailbox_full', readerId],
      ['Reader@cli.example', 'hard', 'user_unknown', readerId],
    ]);
  });
});

describe('gazette subscribers show', () => {
  it('shows consent, status, suppression and bounce history', () => {
    const { code, stdout } = runs.show;
    expect(code).toBe(0);
    const lines = stdout.trim().split('\n');
    expect(lines[0]).toBe(`Reader@cli.example (subscriber ${readerId})`);
    expect(lines[1]).toBe('  name "Min-jun" · locale ko · lists monthly');
    expect(lines[2]).toMatch(/^ {2}status bounced · created .* Asia\/Seoul · updated /);
    expect(lines[3]).toMatch(/^ {2}consent: import on .* by cli:editor$/);
    expect(lines[4]).toBe('    wording: "I agree to receive the newsletter."');
    expect(lines[5]).toMatch(/^ {2}left: bounced on .* via bounce by mail:user_unknown$/);
    expect(lines[6]).toMatch(/^ {2}suppressed: bounced since /);
    expect(lines[7]).toBe('  soft bounces in the last 30 days: 1 (suppressed at 3)');
    expect(lines[8]).toBe('  bounce events (2):');
    expect(lines).toHaveLength(11);
  });

  it('reads the same history for --json', () => {
    expect(history).toMatchObject({
      email: 'Reader@cli.example',
      lists: ['monthly'],
      subscriber: { id: readerId, status: 'bounced', left: { via: 'bounce' } },
      suppression: { reason: 'bounced' },
      softBounces: { count: 1, limit: 3, days: 30 },
    });
    expect(history?.events).toHaveLength(2);
  });

  it('says so when it knows nothing about the address', () => {
    const { code, stderr } = runs.unknown;
    expect(code).toBe(1);
    expect(stderr.trim()).toBe(
      'Gazette knows nothing about "nobody@cli.example": no subscriber, suppression or bounce.',
    );
  });
});
