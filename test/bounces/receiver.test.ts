import type { Queue } from 'bullmq';
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BounceClassifier, startBounceClassifier } from '../../src/bounces/bounce-classifier.ts';
import { type BounceJobData, createBounceQueue } from '../../src/bounces/bounce-queue.ts';
import { type BounceStore, createBounceStore } from '../../src/bounces/bounce-store.ts';
import { type RunningReceiver, startBounceReceiver } from '../../src/bounces/sources/inbound-smtp.ts';
import { createReceiverQuota } from '../../src/bounces/sources/receiver-quota.ts';
import type { Config } from '../../src/config.ts';
import { createRedis } from '../../src/redis.ts';
import { createSubscriberStore, type SubscriberStore } from '../../src/subscribers/subscriber-store.ts';
import { unsubscribeToken } from '../../src/subscribers/unsubscribe.ts';
import { signToken } from '../../src/tokens.ts';
import { TEST_REDIS_URL, type TestRedis, testRedis } from '../helpers/redis.ts';
import { testConfig } from '../helpers/send-env.ts';

let t: TestRedis;
let config: Config;
let queue: Queue<BounceJobData>;
let bounces: BounceStore;
let store: SubscriberStore;
let receiver: RunningReceiver;
let classifier: BounceClassifier;
const logs: string[] = [];

beforeAll(async () => {
  t = await testRedis('receiver');
  config = testConfig(t.prefix, { BOUNCE_MAX_BYTES: '60000', BOUNCE_UNSIGNED_MAX_BYTES: '20000' });
  queue = createBounceQueue(config);
  bounces = createBounceStore({ redis: t.redis, prefix: t.prefix, rawDays: 14, softDays: 30 });
  store = createSubscriberStore({ redis: t.redis, prefix: t.prefix });
  classifier = await startBounceClassifier();
  receiver = await startBounceReceiver(
    {
      config,
      bounces,
      queue,
      subscribers: store,
      classifier,
      quota: quotaFor(config),
      log: (m) => logs.push(m),
    },
    { port: 0, host: '127.0.0.1' },
  );
});

function quotaFor(c: Config) {
  return createReceiverQuota({ redis: t.redis, prefix: c.REDIS_PREFIX, config: c });
}

afterAll(async () => {
  await receiver?.close();
  await queue?.close();
  await classifier?.close();
  await t?.cleanup();
});

/** Delivers one message to a receiver as a relay would; resolves with the reply or the refusal. */
async function deliver(
  to: string,
  raw: string | Buffer,
  port = receiver.port,
  localAddress = '127.0.0.1',
): Promise<{ ok: boolean; response: string }> {
  const transport = nodemailer.createTransport({ host: '127.0.0.1', port, ignoreTLS: true, localAddress });
  try {
    const info = await transport.sendMail({ envelope: { from: '', to: [to] }, raw });
    return { ok: true, response: info.response };
  } catch (err) {
    return { ok: false, response: (err as { response?: string }).response ?? (err as Error).message };
  } finally {
    transport.close();
  }
}

const dsn = (id: string) =>
  `From: MAILER-DAEMON@mx.example\r\nTo: bounces@bounce.gazette.test\r\nMessage-ID: <${id}@mx.example>\r\nSubject: Undelivered Mail\r\n\r\nThe mail could not be delivered to the following address:\r\n\r\n<reader@example.org>: 550 5.1.1 user unknown\r\n`;
const junk = (id: string, bytes: number) =>
  `From: someone@spam.example\r\nTo: bounces@bounce.gazette.test\r\nMessage-ID: <${id}@spam.example>\r\nSubject: Great offer\r\n\r\n${'Buy now, very cheap, write back to offers@spam.example\r\n'.repeat(Math.ceil(bytes / 57))}`;
const signed = (send: string, id: string) =>
  `bounces+${signToken(config.GAZETTE_SECRET, 'bounce', [send, id])}@bounce.gazette.test`;

describe('the inbound bounce receiver', () => {
  it('refuses any other mailbox at RCPT with 550 and says what it takes', async () => {
    expect(await deliver('someone@bounce.gazette.test', dsn('a'))).toEqual({
      ok: false,
      response:
        '550 5.1.1 <someone@bounce.gazette.test>: no such mailbox here; this server takes only bounces',
    });
    const token = signToken(config.GAZETTE_SECRET, 'bounce', ['s1', '1']);
    expect((await deliver(`bounces+${token}@elsewhere.example`, dsn('b'))).response).toMatch(/^550 5\.1\.1 /);
    // smtp-server itself refuses a local part over 64 characters (RFC 5321), so no giant token gets in.
    expect(await deliver(`bounces+${'x'.repeat(250)}@bounce.gazette.test`, dsn('c'))).toEqual({
      ok: false,
      response: '501 Error: Bad recipient address syntax',
    });
  });

  it('keeps a bounce and queues it for the bounce worker; the same mail again is queued once', async () => {
    const token = signToken(config.GAZETTE_SECRET, 'bounce', ['s1abc', '7']);
    const to = `bounces+${token}@bounce.gazette.test`;
    const first = await deliver(to, dsn('queued'));
    expect(first.ok).toBe(true);
    expect(first.response).toMatch(/^250 2\.0\.0 queued as [0-9a-f]{12}$/);
    expect((await deliver(to, dsn('queued'))).ok).toBe(true);
    const jobs = await queue.getJobs(['waiting']);
    const mine = jobs.filter((j) => j.data.to.includes(to));
    expect(mine).toHaveLength(1);
    const data = mine[0]?.data as BounceJobData;
    expect(data).toMatchObject({ to: [to], remote: '127.0.0.1' });
    expect((await bounces.raw(data.raw))?.toString()).toContain('Message-ID: <queued@mx.example>');
    expect(first.response).toContain(data.raw.slice(0, 12));
  });

  it('refuses a bounce address whose token does not verify at RCPT with 550, and takes one without a token', async () => {
    const token = signToken(config.GAZETTE_SECRET, 'bounce', ['s1abc', '7']);
    const tampered = `${token.slice(0, -1)}${token.endsWith('0') ? '1' : '0'}`;
    expect(await deliver(`bounces+${tampered}@bounce.gazette.test`, dsn('forged'))).toEqual({
      ok: false,
      response: '550 5.7.1 this bounce address is not valid (forged)',
    });
    expect((await deliver('bounces+forged.0.123456789012@bounce.gazette.test', dsn('f2'))).response).toMatch(
      /^550 5\.7\.1 /,
    );
    const missing = await deliver('bounces@bounce.gazette.test', dsn('missing'));
    expect(missing.response).toMatch(/^250 2\.0\.0 queued as ([0-9a-f]{12})$/);
  });

  it('keeps forged bounces for review when BOUNCE_KEEP_FORGED=on', async () => {
    const keep = testConfig(t.prefix, { BOUNCE_KEEP_FORGED: 'on' });
    const review = await startBounceReceiver(
      { config: keep, bounces, queue, subscribers: store, classifier, quota: quotaFor(keep), log: () => {} },
      { port: 0, host: '127.0.0.1' },
    );
    try {
      const got = await deliver(
        'bounces+forged.0.123456789012@bounce.gazette.test',
        dsn('kept'),
        review.port,
      );
      expect(got.response).toMatch(/^250 2\.0\.0 queued as /);
    } finally {
      await review.close();
    }
  });

  it('takes mail without a valid token only up to BOUNCE_UNSIGNED_MAX_BYTES and keeps it 2 days, not 14', async () => {
    const big = `${dsn('big')}${'x'.repeat(76)}\r\n`.repeat(300);
    expect(await deliver('bounces@bounce.gazette.test', big)).toEqual({
      ok: false,
      response: '552 5.3.4 message too big (limit 20000 bytes)',
    });
    // A signed bounce may be bigger (a returned message with attachments).
    const ok = await deliver(signed('s1abc', '8'), big.slice(0, 40_000));
    const hash = /queued as ([0-9a-f]{12})/.exec(ok.response)?.[1];
    expect(hash).toBeDefined();
    const small = await deliver('bounces@bounce.gazette.test', dsn('small'));
    const jobs = await queue.getJobs(['waiting']);
    const short = jobs.find((j) => small.response.includes(j.data.raw.slice(0, 12)))?.data.raw as string;
    const long = jobs.find((j) => j.data.raw.startsWith(hash as string))?.data.raw as string;
    expect(await t.redis.ttl(bounces.keys.raw(short))).toBeLessThanOrEqual(2 * 86_400);
    expect(await t.redis.ttl(bounces.keys.raw(long))).toBeGreaterThan(13 * 86_400);
  });

  it('drops mail that is no bounce after classifying it: nothing is stored or queued', async () => {
    const raws = async () => (await t.redis.keys(`${t.prefix}:bounces:raw:*`)).length;
    const [jobs, kept] = [(await queue.getJobs(['waiting'])).length, await raws()];
    const got = await deliver('bounces@bounce.gazette.test', junk('j1', 15_000));
    expect(got).toEqual({ ok: true, response: '250 2.0.0 not a bounce; dropped' });
    expect((await queue.getJobs(['waiting'])).length).toBe(jobs);
    expect(await raws()).toBe(kept);
  });

  it('refuses a message over BOUNCE_MAX_BYTES with 552', async () => {
    const huge = `${dsn('huge')}${'x'.repeat(76)}\r\n`.repeat(800);
    expect(await deliver(signed('s1abc', '9'), huge)).toEqual({
      ok: false,
      response: '552 5.3.4 message too big (limit 60000 bytes)',
    });
  });

  it('unsubscribes through an unsubscribe+ address, and refuses a forged one at RCPT', async () => {
    const [row] = await store.createMany([
      { email: 'leaver@example.org', name: '', locale: 'en', status: 'active', lists: ['l'] },
    ]);
    const id = row?.id as number;
    const token = unsubscribeToken(config.GAZETTE_SECRET, id, 's1abc');
    const mail = 'From: leaver@example.org\r\nSubject: unsubscribe\r\n\r\n\r\n';
    const done = await deliver(`unsubscribe+${token}@bounce.gazette.test`, mail);
    expect(done).toEqual({ ok: true, response: '250 2.0.0 unsubscribe changed' });
    expect(await store.get(id)).toMatchObject({
      status: 'unsubscribed',
      left: { via: 'mailto', by: 'smtp:127.0.0.1', sendId: 's1abc' },
    });
    expect(await store.isSuppressed('leaver@example.org')).toBe(true);
    expect((await deliver(`unsubscribe+${token}@bounce.gazette.test`, mail)).response).toBe(
      '250 2.0.0 unsubscribe already',
    );
    const forged = `${token.slice(0, -1)}${token.endsWith('0') ? '1' : '0'}`;
    expect(await deliver(`unsubscribe+${forged}@bounce.gazette.test`, mail)).toEqual({
      ok: false,
      response: '550 5.1.1 this unsubscribe address is not valid (forged)',
    });
  });

  it('answers 451 when it cannot keep the message, so the sender tries again later', async () => {
    const dead = createRedis(TEST_REDIS_URL, { maxRetriesPerRequest: 0, retryStrategy: () => null });
    dead.on('error', () => {});
    await dead.quit();
    const broken = await startBounceReceiver(
      {
        config,
        bounces: createBounceStore({ redis: dead, prefix: t.prefix, rawDays: 1, softDays: 30 }),
        queue,
        quota: quotaFor(config),
        classifier,
        subscribers: store,
        log: (m) => logs.push(m),
      },
      { port: 0, host: '127.0.0.1' },
    );
    try {
      expect(await deliver('bounces@bounce.gazette.test', dsn('later'), broken.port)).toEqual({
        ok: false,
        response: '451 4.3.0 cannot take the message now; please try again later',
      });
      expect(logs.some((l) => l.startsWith('bounce receiver: cannot take a message from 127.0.0.1:'))).toBe(
        true,
      );
    } finally {
      await broken.close();
    }
  });
});
