import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBouncePolicy } from '../../src/bounces/policy.ts';
import { bounceSendControl } from '../../src/send/control/bounce-control.ts';
import { createSend } from '../../src/send/control/schedule.ts';
import { sendStatus } from '../../src/send/record/send-status.ts';
import { type RunningWorkers, startWorkers } from '../../workers/index.ts';
import { runCli } from '../helpers/cli.ts';
import { sampleCompiled } from '../helpers/compiled.ts';
import { type TestRedis, testRedis } from '../helpers/redis.ts';
import {
  addReaders,
  type SendEnv,
  sendEnv,
  sendRecordFixture,
  testConfig,
  waitFor,
} from '../helpers/send-env.ts';
import { startTestSink, type TestSink } from '../helpers/smtp-sink.ts';

let t: TestRedis;
let sink: TestSink;
let env: SendEnv;
let workers: RunningWorkers;
let cliEnv: Record<string, string>;
let outage = true;

beforeAll(async () => {
  t = await testRedis('retry-cli');
  // During the "outage" the relay defers 3 readers in 10; reader99 is a dead address throughout.
  sink = await startTestSink((address) => {
    if (address === 'reader99@retry.example')
      return { code: 550, message: '5.1.1 <reader99@retry.example> User unknown' };
    const i = Number(address.match(/^reader(\d+)@retry/)?.[1] ?? -1);
    if (outage && i >= 0 && i % 10 < 3) return { code: 451, message: '4.4.1 Try again later' };
    return null;
  });
  env = sendEnv(
    t.redis,
    testConfig(t.prefix, { SMTP_URL: sink.url, SEND_RETRIES: '1', SEND_BATCH_SIZE: '25' }),
  );
  workers = await startWorkers(env.config, () => {});
  cliEnv = { REDIS_PREFIX: t.prefix, GAZETTE_SECRET: env.config.GAZETTE_SECRET, SMTP_URL: sink.url };
});

afterAll(async () => {
  await workers?.close();
  await env?.queues.close();
  await sink?.close();
  await t?.cleanup();
});

const receivedBy = (addresses: string[]) => sink.messages.filter((m) => addresses.includes(m.to[0] ?? ''));

describe('gazette retry', () => {
  it('after an outage that failed 30%, delivers to exactly those once, never to the dead, the suppressed or the delivered', async () => {
    await addReaders(env.subscribers, 'retry', 100, { domain: 'retry.example' });
    const send = await createSend(env, { issueFile: 'issues/201.json', list: 'retry' });
    await waitFor(async () => (await env.sends.state(send.id)) === 'done', 60_000, 'the first pass');
    expect(await sendStatus(env, send.id)).toMatchObject({ delivered: 69, failed: 31 });
    const deferred = Array.from({ length: 100 }, (_, i) => `reader${i}@retry.example`).filter(
      (_, i) => i % 10 < 3,
    );
    await env.subscribers.suppress('reader0@retry.example', 'unsubscribed meanwhile');
    const before = sink.messages.length;
    outage = false;

    const retried = await runCli(['retry', send.id], cliEnv);
    expect(retried.stdout).toContain(`${send.id}: retry 1 delivers again to 30 recipient(s)`);
    await waitFor(async () => (await env.sends.state(send.id)) === 'done', 60_000, 'the retry');
    const after = sink.messages.slice(before).map((m) => m.to[0]);
    expect([...after].sort()).toEqual(deferred.filter((a) => a !== 'reader0@retry.example').sort());
    expect(receivedBy(['reader99@retry.example'])).toHaveLength(0);
    expect(await sendStatus(env, send.id)).toMatchObject({
      state: 'done',
      delivered: 98,
      failed: 1,
      skipped: 1,
    });

    const again = await runCli(['retry', send.id], cliEnv);
    expect([again.code, again.stderr.trim()]).toEqual([
      1,
      `Send ${send.id} has no recipients failed for a temporary cause; nobody to deliver to again.`,
    ]);
    const report = JSON.parse((await runCli(['report', send.id, '--json'], cliEnv)).stdout);
    expect(report.passes).toMatchObject([
      { pass: 1, recipients: 100, delivered: 69, failed: 31, failedBy: { temporary: 30, recipient: 1 } },
      { pass: 2, recipients: 30, delivered: 29, failed: 0, skipped: 1 },
    ]);
    expect(report.failures).toEqual([
      { cause: 'recipient', count: 1, replies: [{ words: '550 5.1.1 <address> User unknown', count: 1 }] },
    ]);
    // The one edition's figures follow the retry too: the retried failures are no longer counted failed;
    // its bounces are readers who bounced (30 soft during the outage, 1 hard), as the total counts them.
    expect(report.bounced).toBe(31);
    expect(report.editions).toMatchObject({ ja: { delivered: 98, failed: 1, bounced: 31 } });
  }, 150_000);

  it('refuses a second send of an issue to the same list, naming the first, unless --resend', async () => {
    await addReaders(env.subscribers, 'twice', 2, { domain: 'twice.example' });
    const args = ['send', 'issues/201.json', '--list', 'twice', '--at', '2099-01-01T09:00', '--json'];
    const first = await runCli(args, cliEnv);
    const { id } = JSON.parse(first.stdout) as { id: string };
    const second = await runCli(args, cliEnv);
    expect([second.code, second.stderr.trim()]).toEqual([
      1,
      `Issue 201 is already scheduled for list twice in send ${id} (due 2099-01-01 09:00:00 Asia/Seoul); add --resend to send it again.`,
    ]);
    const resent = await runCli([...args, '--resend'], cliEnv);
    expect(resent.code).toBe(0);
    for (const send of [id, JSON.parse(resent.stdout).id]) await runCli(['cancel', send], cliEnv);
  }, 60_000);

  it('resumed through `gazette resume` after pausing itself, a send does not pause again for the same reason', async () => {
    const logs: string[] = [];
    const policy = createBouncePolicy({
      redis: t.redis,
      config: env.config,
      subscribers: env.subscribers,
      sends: bounceSendControl(env.sends),
      log: (m: string) => logs.push(m),
    });
    const id = 'sresumecli';
    await env.sends.create(sendRecordFixture({ id, expected: 1000 }), sampleCompiled());
    await env.sends.advance(id, 1000, 1000);
    const ids = Array.from({ length: 1000 }, (_, i) => i + 2_000_000);
    await env.sends.settleMany(
      id,
      ids.map((subscriberId) => ({ subscriberId, outcome: 'delivered' as const })),
    );
    const hard = (i: number) => ({
      email: `h${i}@resume.example`,
      sendId: id,
      kind: 'hard' as const,
      reason: 'user_unknown' as const,
      status: '5.1.1',
      diagnostic: '550 5.1.1 user unknown',
      source: 'mail' as const,
      verified: true,
      identity: `resume:${i}`,
    });
    for (let i = 0; i < 51; i++) await policy.record(hard(i));
    expect(await env.sends.state(id)).toBe('paused');
    const resumed = await runCli(['resume', id], cliEnv);
    expect(resumed.stdout.trim()).toBe(`${id}: sending`);
    expect((await policy.record(hard(51))).paused).toBeNull();
    expect(await env.sends.state(id)).toBe('sending');
  }, 60_000);
});
