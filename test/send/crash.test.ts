import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSend } from '../../src/send/control/schedule.ts';
import { sendStatus } from '../../src/send/record/send-status.ts';
import { SETTLE_MAX_PENDING } from '../../src/send/record/settle-buffer.ts';
import { type TestRedis, testRedis } from '../helpers/redis.ts';
import { addReaders, type SendEnv, sendEnv, testConfig, waitFor } from '../helpers/send-env.ts';
import { startTestSink, type TestSink } from '../helpers/smtp-sink.ts';
import { startWorkerProcess, workerChildren } from '../helpers/worker-process.ts';

let t: TestRedis;
let sink: TestSink;
let env: SendEnv;

beforeAll(async () => {
  t = await testRedis('crash');
  sink = await startTestSink(() => null, { keepRaw: false });
  env = sendEnv(t.redis, testConfig(t.prefix, { SMTP_URL: sink.url, WORKER_LOCK_MS: '3000' }));
});

afterAll(async () => {
  for (const child of workerChildren) if (child.exitCode === null) child.kill('SIGKILL');
  await env?.queues.close();
  await sink?.close();
  await t?.cleanup();
});

describe('a worker killed during a send', () => {
  it('delivers to everyone after three SIGKILLs, with no more duplicates than messages in flight', async () => {
    const total = 5000;
    await addReaders(env.subscribers, 'crash', total, { domain: 'crash.example' });
    let worker = await startWorkerProcess(env.config);
    const send = await createSend(env, { issueFile: 'issues/201.json', list: 'crash' });
    for (const at of [700, 1900, 3100]) {
      await waitFor(() => sink.messages.length >= at, 120_000, `${at} messages`);
      worker.kill('SIGKILL');
      await new Promise((resolve) => worker.once('exit', resolve));
      worker = await startWorkerProcess(env.config);
    }
    await waitFor(async () => (await env.sends.state(send.id)) === 'done', 120_000, 'the send to finish');
    worker.kill('SIGTERM');
    await new Promise((resolve) => worker.once('exit', resolve));

    const recipients = sink.messages.map((m) => m.to[0]);
    const unique = new Set(recipients);
    const duplicates = recipients.length - unique.size;
    // Unrecorded at a kill, per batch (2 at once): the messages at the relay (SMTP_MAX_CONNECTIONS)
    // and the accepted ones whose record is waiting or being written (twice SETTLE_MAX_PENDING).
    const inFlightBound = 3 * 2 * (env.config.SMTP_MAX_CONNECTIONS + 2 * SETTLE_MAX_PENDING);
    console.log(
      `crash test: ${recipients.length} messages, ${unique.size} recipients, ${duplicates} duplicates (bound ${inFlightBound})`,
    );
    expect(unique.size).toBe(total);
    expect(duplicates).toBeLessThanOrEqual(inFlightBound);
    expect(await sendStatus(env, send.id)).toMatchObject({
      state: 'done',
      delivered: total,
      failed: 0,
      queued: 0,
    });
  }, 180_000);

  it('on SIGTERM finishes the messages in flight and hands the rest back: no duplicates, nothing lost', async () => {
    const total = 1500;
    await addReaders(env.subscribers, 'graceful', total, { domain: 'graceful.example' });
    const seen = () => sink.messages.filter((m) => m.to[0]?.endsWith('@graceful.example'));
    let worker = await startWorkerProcess(env.config);
    const send = await createSend(env, { issueFile: 'issues/201.json', list: 'graceful' });
    await waitFor(() => seen().length >= 300, 60_000, '300 messages');
    const stoppedAt = Date.now();
    worker.kill('SIGTERM');
    const code = await new Promise((resolve) => worker.once('exit', resolve));
    expect(code).toBe(0);
    expect(Date.now() - stoppedAt).toBeLessThan(5000);
    expect(seen().length).toBeLessThan(total);
    worker = await startWorkerProcess(env.config);
    await waitFor(async () => (await env.sends.state(send.id)) === 'done', 60_000, 'the send to finish');
    worker.kill('SIGTERM');
    await new Promise((resolve) => worker.once('exit', resolve));
    const recipients = seen().map((m) => m.to[0]);
    expect(recipients).toHaveLength(total);
    expect(new Set(recipients).size).toBe(total);
  }, 120_000);
});
