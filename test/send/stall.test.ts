import type { ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSend } from '../../src/send/control/schedule.ts';
import { sendStatus } from '../../src/send/record/send-status.ts';
import { runCli } from '../helpers/cli.ts';
import { type TestRedis, testRedis } from '../helpers/redis.ts';
import { addReaders, type SendEnv, sendEnv, testConfig, waitFor } from '../helpers/send-env.ts';
import { startTestSink, type TestSink } from '../helpers/smtp-sink.ts';
import { startWorkerProcess, workerChildren } from '../helpers/worker-process.ts';

let t: TestRedis;
let sink: TestSink;
let env: SendEnv;
let current: ChildProcess | null = null;
const POISON = 'reader20@poison.example';

beforeAll(async () => {
  t = await testRedis('stall');
  // The message to POISON "crashes the worker": the relay kills the worker process sending it.
  sink = await startTestSink((address) => {
    if (address === POISON) current?.kill('SIGKILL');
    return null;
  });
  env = sendEnv(t.redis, testConfig(t.prefix, { SMTP_URL: sink.url, WORKER_LOCK_MS: '2000' }));
});

afterAll(async () => {
  for (const child of workerChildren) if (child.exitCode === null) child.kill('SIGKILL');
  await env?.queues.close();
  await sink?.close();
  await t?.cleanup();
});

describe('a batch that stalls past maxStalledCount', () => {
  it('ends settled and the send done, with status and report saying why', async () => {
    await addReaders(env.subscribers, 'poison', 40, { domain: 'poison.example' });
    const send = await createSend(env, { issueFile: 'issues/201.json', list: 'poison' });
    const done = async () => (await env.sends.state(send.id)) === 'done';
    let starts = 0;
    // Each crash leaves the batch stalled; BullMQ fails it on the 7th take (maxStalledCount 5).
    while (!(await done()) && starts < 12) {
      starts += 1;
      current = await startWorkerProcess(env.config);
      const exited = new Promise((resolve) => current?.once('exit', resolve));
      await Promise.race([exited, waitFor(done, 60_000, 'the send to finish').catch(() => {})]);
    }
    await waitFor(done, 30_000, 'the send to finish');
    current?.kill('SIGTERM');

    const status = await sendStatus(env, send.id);
    console.log(
      `stall test: ${starts} worker starts, ${status?.delivered} delivered, ${status?.failed} failed`,
    );
    expect(status).toMatchObject({ state: 'done', queued: 0, total: 40 });
    expect((status?.delivered ?? 0) + (status?.failed ?? 0)).toBe(40);
    expect(sink.messages.some((m) => m.to.includes(POISON))).toBe(false);
    const failures = await env.sends.failures(send.id);
    expect(failures.map((g) => [g.cause, g.count])).toEqual([['stalled', status?.failed]]);
    expect(failures[0]?.replies[0]?.words).toBe('job stalled more than allowable limit');

    const cliEnv = { REDIS_PREFIX: t.prefix, GAZETTE_SECRET: env.config.GAZETTE_SECRET };
    const text = await runCli(['status', send.id], cliEnv);
    expect(text.stdout).toContain(`batch stopped its worker too often: ${status?.failed}`);
    const report = JSON.parse((await runCli(['report', send.id, '--json'], cliEnv)).stdout);
    expect(report.failures[0]).toMatchObject({ cause: 'stalled', count: status?.failed });
  }, 300_000);
});
