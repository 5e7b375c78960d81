import type { Queue } from 'bullmq';
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BounceClassifier, startBounceClassifier } from '../../src/bounces/bounce-classifier.ts';
import { type BounceJobData, createBounceQueue } from '../../src/bounces/bounce-queue.ts';
import { createBounceStore } from '../../src/bounces/bounce-store.ts';
import { type RunningReceiver, startBounceReceiver } from '../../src/bounces/sources/inbound-smtp.ts';
import { createReceiverQuota } from '../../src/bounces/sources/receiver-quota.ts';
import type { Config } from '../../src/config.ts';
import { deleteKeys } from '../../src/redis.ts';
import { createSubscriberStore } from '../../src/subscribers/subscriber-store.ts';
import { type TestRedis, testRedis } from '../helpers/redis.ts';
import { testConfig } from '../helpers/send-env.ts';

// Issue 9, "the receiver protects itself": junk cannot fill Redis, and a flooding client is told to wait.
let t: TestRedis;
let classifier: BounceClassifier;
const queues: Queue<BounceJobData>[] = [];
const receivers: RunningReceiver[] = [];

beforeAll(async () => {
  t = await testRedis('rabuse');
  classifier = await startBounceClassifier();
});

afterAll(async () => {
  for (const r of receivers) await r.close();
  for (const q of queues) await q.close();
  await classifier?.close();
  for (const p of ['junk', 'ip', 'bytes', 'all']) await deleteKeys(t.redis, `${t.prefix}-${p}:*`);
  await t?.cleanup();
});

async function receiverWith(env: Record<string, string>): Promise<{ port: number; config: Config }> {
  const config = testConfig(env.REDIS_PREFIX ?? t.prefix, env);
  const queue = createBounceQueue(config);
  queues.push(queue);
  const prefix = config.REDIS_PREFIX;
  const receiver = await startBounceReceiver(
    {
      config,
      bounces: createBounceStore({ redis: t.redis, prefix, rawDays: 14, softDays: 30, unverifiedDays: 2 }),
      queue,
      quota: createReceiverQuota({ redis: t.redis, prefix, config }),
      classifier,
      subscribers: createSubscriberStore({ redis: t.redis, prefix }),
      log: () => {},
    },
    { port: 0, host: '127.0.0.1' },
  );
  receivers.push(receiver);
  return { port: receiver.port, config };
}

async function deliver(port: number, raw: string, localAddress = '127.0.0.1'): Promise<string> {
  const transport = nodemailer.createTransport({ host: '127.0.0.1', port, ignoreTLS: true, localAddress });
  try {
    return (await transport.sendMail({ envelope: { from: '', to: ['bounces@bounce.gazette.test'] }, raw }))
      .response;
  } catch (err) {
    return (err as { response?: string }).response ?? (err as Error).message;
  } finally {
    transport.close();
  }
}

const junk = (i: number, bytes: number) =>
  `From: offers@spam.example\r\nTo: bounces@bounce.gazette.test\r\nMessage-ID: <${i}@spam.example>\r\nSubject: A great offer ${i}\r\n\r\n${`Offer ${i}: buy now and save, reply to offers@spam.example today\r\n`.repeat(Math.ceil(bytes / 64))}`;
const bounce = (i: number) =>
  `From: MAILER-DAEMON@mx.example\r\nTo: bounces@bounce.gazette.test\r\nMessage-ID: <b${i}@mx.example>\r\nSubject: Undelivered Mail Returned to Sender\r\n\r\nI'm sorry to have to inform you that your message could not be delivered to the following address:\r\n\r\n<gone${i}@example.org>: 550 5.1.1 user unknown\r\n`;

/** Bytes Redis holds under a prefix (MEMORY USAGE of every key). */
async function usage(prefix: string): Promise<number> {
  let total = 0;
  let cursor = '0';
  do {
    const [next, keys] = await t.redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 500);
    cursor = next;
    for (const key of keys) total += Number((await t.redis.memory('USAGE', key)) ?? 0);
  } while (cursor !== '0');
  return total;
}

describe('junk to the bounce receiver', () => {
  it('10 MB of non-bounce mail grows Redis by less than 1 MB', { timeout: 120_000 }, async () => {
    const { port, config } = await receiverWith({ REDIS_PREFIX: `${t.prefix}-junk` });
    const before = await usage(config.REDIS_PREFIX);
    let received = 0;
    for (let i = 0; received < 10 * 1024 * 1024; i++) {
      const mail = junk(i, 250 * 1024);
      expect(await deliver(port, mail)).toBe('250 2.0.0 not a bounce; dropped');
      received += mail.length;
    }
    const growth = (await usage(config.REDIS_PREFIX)) - before;
    console.log(
      JSON.stringify({ name: 'bounce-receiver-junk', receivedBytes: received, redisGrowthBytes: growth }),
    );
    expect(growth).toBeLessThan(1024 * 1024);
  });

  it('tells a flooding client 452 past its hourly quota while other senders still get through', async () => {
    const { port } = await receiverWith({ REDIS_PREFIX: `${t.prefix}-ip`, BOUNCE_IP_MESSAGES_HOUR: '5' });
    const flood: string[] = [];
    for (let i = 0; i < 8; i++) flood.push(await deliver(port, junk(i, 1000), '127.0.0.2'));
    expect(flood.slice(0, 5).every((r) => r.startsWith('250 '))).toBe(true);
    expect(flood.slice(5)).toEqual(
      Array(3).fill('452 4.7.1 too much mail from your address this hour; try again later'),
    );
    expect(await deliver(port, bounce(1))).toMatch(/^250 2\.0\.0 queued as /);
  });

  it('counts bytes too: a client past its hourly bytes hears 452', async () => {
    const { port } = await receiverWith({ REDIS_PREFIX: `${t.prefix}-bytes`, BOUNCE_IP_BYTES_HOUR: '30000' });
    expect(await deliver(port, junk(1, 20_000), '127.0.0.3')).toMatch(/^250 /);
    expect(await deliver(port, junk(2, 20_000), '127.0.0.3')).toMatch(/^452 4\.7\.1 /);
    expect(await deliver(port, junk(3, 100), '127.0.0.3')).toMatch(/^452 4\.7\.1 /);
    expect(await deliver(port, bounce(2))).toMatch(/^250 /);
  });

  it('answers 421 once the receiver has taken its total for the hour', async () => {
    const { port } = await receiverWith({ REDIS_PREFIX: `${t.prefix}-all`, BOUNCE_TOTAL_MESSAGES_HOUR: '3' });
    for (let i = 0; i < 3; i++)
      expect(await deliver(port, bounce(10 + i), `127.0.0.${10 + i}`)).toMatch(/^250 /);
    expect(await deliver(port, bounce(20), '127.0.0.20')).toMatch(/^421 4\.3\.2 /);
  });
});
