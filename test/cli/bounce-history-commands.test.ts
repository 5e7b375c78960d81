import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AddressHistory, addressHistory } from '../../src/bounces/address-history.ts';
import { bounceStoreOf, createBouncePolicy } from '../../src/bounces/policy.ts';
import { bounceSendControl } from '../../src/send/control/bounce-control.ts';
import { createSendStore } from '../../src/send/record/send-store.ts';
import { createSubscriberStore } from '../../src/subscribers/subscriber-store.ts';
import { runCli } from '../helpers/cli.ts';
import { TEST_REDIS_URL, type TestRedis, testRedis } from '../helpers/redis.ts';
import { testConfig } from '../helpers/send-env.ts';

type Run = Awaited<ReturnType<typeof runCli>>;
let t: TestRedis;
let env: Record<string, string>;
let readerId: number;
let history: AddressHistory | null;
/** The CLI runs as real processes, all at once (each start costs seconds on this machine). */
let runs: Record<'list' | 'json' | 'show' | 'unknown' | 'unverified' | 'apply' | 'again' | 'missing', Run>;
let otherId: number;
let unverifiedId: string;

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
  const sends = createSendStore({
    redis: t.redis,
    prefix: t.prefix,
    bounces: bounceStoreOf(t.redis, config),
  });
  const policy = createBouncePolicy({
    redis: t.redis,
    config,
    subscribers: store,
    sends: bounceSendControl(sends),
    log: () => {},
  });
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
  const base = { source: 'mail' as const, verified: true, status: '4.2.2' };
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
  // A forged bounce about a second subscriber: kept for review, acting on nobody until an admin applies it.
  const [other] = await store.createMany([
    { email: 'other@cli.example', name: '', locale: 'en', status: 'active', lists: ['monthly'] },
  ]);
  otherId = other?.id as number;
  await policy.record({
    ...base,
    verified: false,
    email: 'other@cli.example',
    kind: 'hard',
    reason: 'user_unknown',
    status: '5.1.1',
    diagnostic: '550 5.1.1 forged',
    identity: 'cli-3',
  });
  history = await addressHistory(
    { subscribers: store, bounces: policy.bounces, settings: policy.settings },
    'READER@cli.example',
  );
  const id = (await t.redis.xrange(`${t.prefix}:bounces:unverified`, '-', '+'))[0]?.[0] as string;
  // The listings first: applying the forged event adds a verified one to `bounces list`.
  const [list, json, show, unknown, unverified, missing] = await Promise.all([
    runCli(['bounces', 'list', '--since', '1h'], env),
    runCli(['bounces', 'list', '--json'], env),
    runCli(['subscribers', 'show', 'READER@cli.example'], env),
    runCli(['subscribers', 'show', 'nobody@cli.example'], env),
    runCli(['bounces', 'list', '--unverified'], env),
    runCli(['bounces', 'apply', '1-0'], env),
  ]);
  const apply = await runCli(['bounces', 'apply', id], env);
  const again = await runCli(['bounces', 'apply', id], env);
  unverifiedId = id;
  runs = { list, json, show, unknown, unverified, apply, again, missing };
  // Eight CLI processes, two of them one after another: seconds each on a loaded machine.
}, 180_000);

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
      /Asia\/Seoul {2}soft +mailbox_full +4\.2\.2 +Reader@cli\.example {2}send - {2}\(mail\)/,
    );
    expect(lines[0]).toContain('counted (soft bounce 1 in the window) — 452 4.2.2 [31mmailbox full [0m');
    expect(lines[1]).toMatch(/hard +user_unknown +5\.1\.1 .*suppressed — 550 5\.1\.1 user unknown$/);
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

describe('gazette bounces list --unverified and bounces apply', () => {
  it('lists the forged event with its id, apart from the events that acted', () => {
    expect(runs.unverified.code).toBe(0);
    const lines = runs.unverified.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]?.startsWith(`${unverifiedId}  `)).toBe(true);
    expect(lines[0]).toMatch(
      /^\d+-\d+ {2}.*hard +user_unknown .*other@cli\.example .*\(mail, unverified\) {2}unverified — 550 5\.1\.1 forged$/,
    );
    expect(runs.list.stdout).not.toContain('other@cli.example');
  });

  it('applies it by hand once, audited, and refuses an unknown id with a sentence', async () => {
    expect(runs.apply).toMatchObject({ code: 0, stdout: 'applied: suppressed: hard bounce\n' });
    expect(runs.again).toMatchObject({ code: 0, stdout: 'already applied; nothing changed\n' });
    expect(runs.missing.code).toBe(1);
    expect(runs.missing.stderr).toContain('There is no unverified event "1-0"');
    const store = createSubscriberStore({ redis: t.redis, prefix: t.prefix });
    expect((await store.get(otherId))?.status).toBe('bounced');
    const audit = await t.redis.xrange(`${t.prefix}:bounces:audit`, '-', '+');
    expect(audit).toHaveLength(1);
    expect(audit[0]?.[1]).toEqual(expect.arrayContaining(['bounce.apply', expect.stringMatching(/^cli/)]));
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
    expect(lines[5]).toMatch(/^ {2}left: bounced on .* via bounce by mail:user_unknown \(hard bounce\)$/);
    expect(lines[6]).toMatch(/^ {2}suppressed: bounced since /);
    expect(lines[7]).toBe(
      '  soft bounces in the last 30 days: 1 (suppressed at 3, or after 3 sends in a row that soft-bounced)',
    );
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
