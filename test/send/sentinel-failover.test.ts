import type { ChildProcess } from 'node:child_process';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClickStore } from '../../src/clicks/click-store.ts';
import { clickToken } from '../../src/clicks/click-token.ts';
import { createRedis, deleteKeys } from '../../src/redis.ts';
import { createSend } from '../../src/send/control/schedule.ts';
import { sendStatus } from '../../src/send/record/send-status.ts';
import { SETTLE_MAX_PENDING } from '../../src/send/record/settle-buffer.ts';
import { unsubscribeToken } from '../../src/subscribers/unsubscribe.ts';
import { addReaders, type SendEnv, sendEnv, testConfig, waitFor } from '../helpers/send-env.ts';
import { type SentinelRedis, startSentinelRedis } from '../helpers/sentinel-redis.ts';
import { type ServerProcess, startServerProcess } from '../helpers/server-process.ts';
import { startTestSink, type TestSink } from '../helpers/smtp-sink.ts';
import { startWorkerProcess, workerChildren } from '../helpers/worker-process.ts';

const PREFIX = `gztest-sentinel-${process.pid}`;
const BROWSER =
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15';

let redisSet: SentinelRedis;
let sink: TestSink;
let env: SendEnv;
let redis: Redis;
let server: ServerProcess;

beforeAll(async () => {
  redisSet = await startSentinelRedis();
  sink = await startTestSink(() => null, { keepRaw: false });
  const config = testConfig(PREFIX, { SMTP_URL: sink.url, WORKER_LOCK_MS: '3000', ...redisSet.env });
  redis = createRedis(config);
  redis.on('error', () => {}); // the switch refuses connections for a while: retried, not printed
  env = sendEnv(redis, config);
  server = await startServerProcess(PREFIX, {
    ...redisSet.env,
    GAZETTE_SECRET: config.GAZETTE_SECRET,
    TRUST_PROXY: '127.0.0.1',
  });
}, 90_000);

afterAll(async () => {
  for (const child of workerChildren) if (child.exitCode === null) child.kill('SIGKILL');
  await server?.stop();
  await env?.queues.close();
  if (redis) {
    await deleteKeys(redis, `${PREFIX}:*`).catch(() => {});
    redis.disconnect();
  }
  await sink?.close();
  await redisSet?.close();
}, 60_000);

/** Sends `request` until the server answers below 500 (503 while it cannot reach Redis); the answer and when it came. */
async function untilAnswered(
  request: () => Promise<Response>,
): Promise<{ status: number; at: number; tries: number }> {
  for (let tries = 1; ; tries++) {
    const res = await request().catch(() => null);
    if (res && res.status < 500) return { status: res.status, at: Date.now(), tries };
    await new Promise((r) => setTimeout(r, 200));
  }
}

const healthOf = async () =>
  (await fetch(`${server.base}/health`)).json() as Promise<Record<string, unknown>>;

describe('Sentinel: the primary SIGKILLed mid-send', () => {
  it('fails over to the replica: the send reaches done, nobody missed, duplicates within the in-flight bound, an unsubscribe and a click during the switch kept', async () => {
    expect(await healthOf()).toEqual({
      status: 'ok',
      redis: 'ok',
      mode: 'sentinel',
      address: `127.0.0.1:${redisSet.primaryPort}`,
      role: 'master',
    });
    // A client on the internet (behind the trusted proxy) learns the mode, never a node's address.
    const outside = await fetch(`${server.base}/health`, { headers: { 'x-forwarded-for': '8.8.8.8' } });
    expect(await outside.json()).toEqual({ status: 'ok', redis: 'ok', mode: 'sentinel' });
    const total = 3000;
    const ids = await addReaders(env.subscribers, 'failover', total, { domain: 'failover.example' });
    const workers: ChildProcess[] = [
      await startWorkerProcess(env.config, redisSet.env),
      await startWorkerProcess(env.config, redisSet.env),
    ];
    const send = await createSend(env, { issueFile: 'issues/201.json', list: 'failover' });
    await waitFor(() => sink.messages.length >= total / 3, 120_000, 'a third of the messages');
    // Someone who already has the issue leaves, and someone clicks, while no primary answers.
    const leaver = ids[Number(/^reader(\d+)@/.exec(sink.messages[0]?.to[0] ?? '')?.[1])] as number;
    const clicker = ids[1] as number;
    const secret = env.config.GAZETTE_SECRET;
    const killedAt = Date.now();
    await redisSet.killPrimary();
    const unsubscribe = untilAnswered(() =>
      fetch(`${server.base}/u/${unsubscribeToken(secret, leaver, send.id)}`, {
        method: 'POST',
        body: new URLSearchParams({ 'List-Unsubscribe': 'One-Click' }),
        redirect: 'manual',
      }),
    );
    const click = untilAnswered(() =>
      fetch(
        `${server.base}/c/${clickToken(secret, {
          sendId: send.id,
          subscriberId: clicker,
          linkId: 'lima-smart-city',
          renderedAt: Date.now() - 30_000,
        })}`,
        { redirect: 'manual', headers: { 'user-agent': BROWSER } },
      ),
    );
    await waitFor(
      async () => (await redisSet.primaryNow()) === redisSet.replicaPort,
      60_000,
      'the promotion',
    );
    const promotedAt = Date.now();
    const [left, clicked] = await Promise.all([unsubscribe, click]);
    await waitFor(async () => (await env.sends.state(send.id)) === 'done', 180_000, 'the send to finish');
    for (const worker of workers) worker.kill('SIGTERM');
    await Promise.all(
      workers.map((w) => (w.exitCode === null ? new Promise((r) => w.once('exit', r)) : null)),
    );

    const recipients = sink.messages.map((m) => m.to[0]);
    const unique = new Set(recipients);
    const duplicates = recipients.length - unique.size;
    // As test/send/crash.test.ts: per worker, per batch at once (2), the messages at the relay and the
    // accepted ones whose record waits or is being written; both workers lose their connection at once.
    const inFlightBound = 2 * 2 * (env.config.SMTP_MAX_CONNECTIONS + 2 * SETTLE_MAX_PENDING);
    console.log(
      `sentinel failover: promoted ${promotedAt - killedAt} ms after the kill; ${recipients.length} messages, ${unique.size} recipients, ${duplicates} duplicates (bound ${inFlightBound}); unsubscribe ${left.status} after ${left.tries} tries, click ${clicked.status} after ${clicked.tries}`,
    );
    expect(unique.size).toBe(total);
    expect(duplicates).toBeLessThanOrEqual(inFlightBound);
    expect(await sendStatus(env, send.id)).toMatchObject({
      state: 'done',
      delivered: total,
      failed: 0,
      queued: 0,
    });
    expect(left.status).toBe(200);
    expect(clicked.status).toBe(302);
    expect((await env.subscribers.get(leaver))?.status).toBe('unsubscribed');
    const clicks = await createClickStore({ redis, prefix: PREFIX }).forSend(send.id);
    expect(clicks.links.find((l) => l.linkId === 'lima-smart-city')).toMatchObject({ total: 1, unique: 1 });
    expect(await healthOf()).toEqual({
      status: 'ok',
      redis: 'ok',
      mode: 'sentinel',
      address: `127.0.0.1:${redisSet.replicaPort}`,
      role: 'master',
    });
  }, 420_000);
});
