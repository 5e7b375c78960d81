import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Queue } from 'bullmq';
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGazette } from '../../src/app.ts';
import { type BounceClassifier, startBounceClassifier } from '../../src/bounces/bounce-classifier.ts';
import { type BounceJobData, createBounceQueue } from '../../src/bounces/bounce-queue.ts';
import { classifyBounce } from '../../src/bounces/classify/classifier-api.ts';
import { type RunningReceiver, startBounceReceiver } from '../../src/bounces/sources/inbound-smtp.ts';
import { createReceiverQuota } from '../../src/bounces/sources/receiver-quota.ts';
import { createBounceWorker } from '../../workers/bounce.worker.ts';
import { hostileMessages } from '../helpers/hostile-bounces.ts';
import { type TestRedis, testRedis } from '../helpers/redis.ts';
import { testConfig, waitFor } from '../helpers/send-env.ts';

// Issue 17: classifying runs in a thread with a time budget, so no message holds the event loop and
// none is tried for ever. A 1 ms budget stands in for a message no test foresaw.
const FIXTURE = readFileSync(join(import.meta.dirname, '../fixtures/bounces/postfix-user-unknown.eml'));
/** A real bounce, padded with a returned message of 1 MB: far more than 1 ms of work. */
const BIG = Buffer.concat([FIXTURE, Buffer.from(`${'x'.repeat(998)}\r\n`.repeat(1000))]);

let t: TestRedis;
let normal: BounceClassifier;
let tight: BounceClassifier;
const closers: (() => Promise<void>)[] = [];

beforeAll(async () => {
  t = await testRedis('classifier');
  [normal, tight] = await Promise.all([startBounceClassifier(), startBounceClassifier({ budgetMs: 1 })]);
});

afterAll(async () => {
  for (const close of closers.reverse()) await close();
  await Promise.all([normal?.close(), tight?.close()]);
  await t?.cleanup();
});

describe('the bounce classifier thread', () => {
  it('classifies as classifyBounce does', async () => {
    expect(await normal.classify(FIXTURE)).toEqual({
      outcome: 'classified',
      results: await classifyBounce(FIXTURE),
    });
  });

  it('answers over-budget past its budget, and again for the next message on a replaced thread', async () => {
    const started = performance.now();
    expect(await tight.classify(BIG)).toEqual({ outcome: 'over-budget', budgetMs: 1 });
    expect(await tight.classify(BIG)).toEqual({ outcome: 'over-budget', budgetMs: 1 });
    // The waiting ends with the budget, not with the work.
    expect(performance.now() - started).toBeLessThan(1000);
    expect((await normal.classify(BIG)).outcome).toBe('classified');
  });

  it('calls a message the parser refuses unreadable, and goes on', async () => {
    const deep = hostileMessages(250_000).find((m) => m.name === 'MIME: deep nesting')?.raw as string;
    expect(await normal.classify(Buffer.from(deep))).toEqual({
      outcome: 'unreadable',
      reason: 'Max allowed child nodes exceeded',
    });
    expect((await normal.classify(FIXTURE)).outcome).toBe('classified');
  });
});

describe('a message past the budget', () => {
  const logs: string[] = [];
  let queue: Queue<BounceJobData>;
  let receiver: RunningReceiver;

  beforeAll(async () => {
    const config = testConfig(t.prefix);
    const gazette = createGazette(config, { redis: t.redis, log: (m) => logs.push(m) });
    queue = createBounceQueue(config);
    closers.push(() => queue.close());
    receiver = await startBounceReceiver(
      {
        config,
        bounces: gazette.bounces,
        queue,
        quota: createReceiverQuota({ redis: t.redis, prefix: t.prefix, config }),
        classifier: tight,
        subscribers: gazette.subscribers,
        log: (m) => logs.push(m),
      },
      { port: 0, host: '127.0.0.1' },
    );
    closers.push(() => receiver.close());
    const worker = createBounceWorker({
      policy: gazette.policy,
      bounces: gazette.bounces,
      classifier: tight,
      subscribers: gazette.subscribers,
      config,
      log: (m) => logs.push(m),
    });
    closers.push(() => worker.close());
  });

  it('is kept and queued by the receiver, then recorded by nobody and not tried again by the worker', async () => {
    const transport = nodemailer.createTransport({ host: '127.0.0.1', port: receiver.port, ignoreTLS: true });
    const info = await transport.sendMail({
      envelope: { from: '', to: ['bounces@bounce.gazette.test'] },
      raw: BIG.subarray(0, 200_000),
    });
    transport.close();
    expect(info.response).toMatch(/^250 2\.0\.0 queued as [0-9a-f]{12}$/);
    expect(logs).toContainEqual(expect.stringMatching(/took over 1 ms to classify; kept unclassified/));
    const [job] = await queue.getJobs(['waiting', 'active', 'completed']);
    await waitFor(async () => (await job?.getState()) === 'completed', 20_000, 'the bounce job to finish');
    const done = await queue.getJob(job?.id as string);
    expect([done?.attemptsMade, done?.returnvalue]).toMatchObject([1, { results: 0, recorded: 0 }]);
    expect(logs).toContainEqual(
      expect.stringMatching(/took over 1 ms to read; kept unclassified, nothing recorded/),
    );
    // Kept for a person to look at, not dropped as junk.
    expect(await t.redis.exists(`${t.prefix}:bounces:raw:${job?.data.raw}`)).toBe(1);
  });
});
