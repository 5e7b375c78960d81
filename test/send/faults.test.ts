import { createServer, type Socket } from 'node:net';
import { Job, Queue, UnrecoverableError, Worker } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cancelSend, createSend } from '../../src/send/control/schedule.ts';
import { sendStatus } from '../../src/send/record/send-status.ts';
import { createMailer } from '../../src/send/wire/transport.ts';
import { type RunningWorkers, startWorkers } from '../../workers/index.ts';
import { createSendWorker } from '../../workers/send.worker.ts';
import { type FaultyRelay, startFaultyRelay } from '../helpers/faulty-relay.ts';
import { type TestRedis, testRedis } from '../helpers/redis.ts';
import { addReaders, type SendEnv, sendEnv, testConfig, waitFor } from '../helpers/send-env.ts';

let t: TestRedis;
const cleanups: (() => Promise<unknown>)[] = [];

beforeAll(async () => {
  t = await testRedis('faults');
});

afterAll(async () => {
  for (const done of cleanups.reverse()) await done().catch(() => {});
  await t?.cleanup();
});

/** Workers and stores on a prefix of the test's own, sending to `relay`. */
async function setUp(label: string, relay: FaultyRelay, env: Record<string, string> = {}) {
  const config = testConfig(`${t.prefix}-${label}`, { SMTP_URL: relay.url, ...env });
  const e: SendEnv = sendEnv(t.redis, config);
  const logs: string[] = [];
  const workers: RunningWorkers = await startWorkers(config, (m) => logs.push(m));
  cleanups.push(
    () => relay.close(),
    () => e.queues.close(),
    () => workers.close(),
  );
  return { env: e, logs };
}

describe('sending under faults', () => {
  it('leaves retrying to the job: a relay that hangs up at once is tried once per send, not by the pool too', async () => {
    let connections = 0;
    const server = createServer((socket: Socket) => {
      connections += 1;
      socket.destroy();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;
    const mailer = await createMailer(testConfig('unused', { SMTP_URL: `smtp://127.0.0.1:${port}` }));
    const message = {
      envelope: { from: 'b@gazette.test', to: ['r@example.org'] },
      raw: 'Subject: x\r\n\r\nx\r\n',
      messageId: '<x@gazette.test>',
    };
    const err = await mailer.send(message as never).catch((e: Error & { code?: string }) => e);
    await mailer.close();
    server.close();
    expect((err as { code?: string }).code).toBe('ECONNECTION');
    // nodemailer's default (maxRequeues 5) made this 6 before the job even saw an error.
    expect(connections).toBe(1);
  }, 30_000);

  it('sends a message whose connection drops after DATA at most once per job attempt (one retry layer)', async () => {
    const relay = await startFaultyRelay({
      // Every 10th reader's first copy is lost with its connection; one reader's every copy is.
      drop: (rcpt, seen) =>
        rcpt === 'reader0@drop.example' ||
        (rcpt.match(/reader(\d+)@/)?.[1]?.endsWith('5') && seen === 1) === true,
    });
    const { env, logs } = await setUp('drop', relay, { SEND_RETRIES: '2', SEND_BATCH_SIZE: '50' });
    await addReaders(env.subscribers, 'drop', 200, { domain: 'drop.example' });
    const send = await createSend(env, { issueFile: 'issues/201.json', list: 'drop' });
    await waitFor(async () => (await env.sends.state(send.id)) === 'done', 90_000, 'the send to finish');

    const attempts = (env.config.SEND_RETRIES as number) + 1;
    const copies = relay.received.filter((r) => r === 'reader0@drop.example').length;
    const duplicates = relay.received.length - new Set(relay.received).size;
    console.log(
      `drop test: ${relay.received.length} messages, ${relay.drops} drops, ${duplicates} duplicates, ${copies} copies of the always-dropped one`,
    );
    // With the pool's own requeue (nodemailer's default maxRequeues 5) this was 6 per attempt.
    expect(copies).toBe(attempts);
    // Each drop leaves one message unanswered (the one in flight on that connection): at most one duplicate each.
    expect(duplicates).toBeLessThanOrEqual(relay.drops);
    expect(new Set(relay.received).size).toBe(200);
    expect(await sendStatus(env, send.id)).toMatchObject({ state: 'done', delivered: 199, failed: 1 });
    expect((await env.sends.failures(send.id)).map((g) => [g.cause, g.count])).toEqual([['temporary', 1]]);
    expect(logs.find((l) => l.startsWith(`send ${send.id} done`))).toMatch(
      new RegExp(
        `^send ${send.id} done: issue 201 to list drop, 199 delivered, 1 failed \\(temporary \\(deferred, connection lost\\) 1\\), 0 skipped, 0 bounced, in \\d+:\\d\\d`,
      ),
    );
  }, 120_000);

  it('pauses a send whose relay refuses our login (535) after a few messages, failing no reader', async () => {
    const relay = await startFaultyRelay({ refuseAuth: true });
    const { env, logs } = await setUp('auth', relay, { SEND_BATCH_SIZE: '50' });
    await addReaders(env.subscribers, 'auth', 300, { domain: 'auth.example' });
    const send = await createSend(env, { issueFile: 'issues/201.json', list: 'auth' });
    await waitFor(
      async () => (await env.sends.state(send.id)) === 'paused',
      60_000,
      'the send to pause itself',
    );
    const status = await sendStatus(env, send.id);
    expect(status).toMatchObject({ state: 'paused', delivered: 0, failed: 0 });
    expect(status?.record.reason).toMatch(
      /^paused automatically: the relay refused us \(535 .*Authentication/,
    );
    expect(logs.some((l) => l.includes(`send ${send.id} paused itself: the relay refused us`))).toBe(true);
    expect(relay.received).toEqual([]);
    await cancelSend(env, send.id);
  }, 90_000);

  it('fails a delivery job with bad data at once (UnrecoverableError), not after its retries', async () => {
    const relay = await startFaultyRelay();
    const { env } = await setUp('baddata', relay);
    await env.queues.deliver.add('deliver', { sendId: 'Not An Id', ids: ['x'] } as never, {
      jobId: 'bad-data',
      attempts: 4,
      backoff: { type: 'fixed', delay: 100 },
    });
    const failed = async () => (await Job.fromId(env.queues.deliver, 'bad-data'))?.finishedOn !== undefined;
    await waitFor(failed, 30_000, 'the job to fail');
    const job = await Job.fromId(env.queues.deliver, 'bad-data');
    expect(await job?.getState()).toBe('failed');
    expect(job?.attemptsMade).toBe(1);
    expect(job?.failedReason).toMatch(/^bad job data/);
  }, 60_000);

  it('stores no send when its fan-out job cannot be added (no send left scheduled with nothing to start it)', async () => {
    const relay = await startFaultyRelay();
    const { env } = await setUp('atomic', relay);
    await addReaders(env.subscribers, 'atomic', 3, { domain: 'atomic.example' });
    const dead = {
      url: 'redis://127.0.0.1:1',
      maxRetriesPerRequest: 0,
      enableOfflineQueue: false,
      retryStrategy: () => null,
    };
    const send = new Queue('send', { connection: dead, prefix: env.config.REDIS_PREFIX });
    send.on('error', () => {});
    cleanups.push(() => send.close());
    const before = await env.sends.ids(100);
    await expect(
      createSend(
        { ...env, queues: { ...env.queues, send } },
        { issueFile: 'issues/201.json', list: 'atomic' },
      ),
    ).rejects.toThrow();
    expect(await env.sends.ids(100)).toEqual(before);
  }, 60_000);

  it('settles batches that failed while no worker could record it (a worker died in between), and the send ends done', async () => {
    const relay = await startFaultyRelay();
    cleanups.push(() => relay.close());
    const config = testConfig(`${t.prefix}-orphan`, { SMTP_URL: relay.url, SEND_BATCH_SIZE: '2' });
    const env = sendEnv(t.redis, config);
    cleanups.push(() => env.queues.close());
    await addReaders(env.subscribers, 'orphan', 5, { domain: 'orphan.example' });
    // The fan-out runs; every batch then fails for good in a worker whose `failed` handler never runs,
    // as when the process dies right after BullMQ moved the job to the failed set.
    const fanout = createSendWorker({ ...env, log: () => {} });
    const doomed = new Worker(
      'deliver',
      async () => {
        throw new UnrecoverableError('the worker died here');
      },
      { connection: { url: config.REDIS_URL }, prefix: config.REDIS_PREFIX },
    );
    const send = await createSend(env, { issueFile: 'issues/201.json', list: 'orphan' });
    await waitFor(
      async () => (await env.queues.deliver.getFailedCount()) === 3,
      30_000,
      'three failed batches',
    );
    await Promise.all([fanout.close(), doomed.close()]);
    expect(await env.sends.state(send.id)).toBe('sending');

    const workers = await startWorkers(config, () => {});
    cleanups.push(() => workers.close());
    await waitFor(async () => (await env.sends.state(send.id)) === 'done', 30_000, 'the send to finish');
    const status = await sendStatus(env, send.id);
    expect(status).toMatchObject({ state: 'done', total: 5, delivered: 0, failed: 5 });
    const failures = await env.sends.failures(send.id);
    expect(failures.map((g) => [g.cause, g.count])).toEqual([['error', 5]]);
    expect(relay.received).toEqual([]);
  }, 60_000);
});
