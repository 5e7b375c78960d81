import { writeFile } from 'node:fs/promises';
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GazetteError } from '../../src/errors.ts';
import { IssueError } from '../../src/issue/load.ts';
import { AlreadySentError } from '../../src/send/control/previous-send.ts';
import { cancelSend, createSend, pauseSend, resumeSend } from '../../src/send/control/schedule.ts';
import { sendStatus } from '../../src/send/record/send-status.ts';
import { type RunningWorkers, startWorkers } from '../../workers/index.ts';
import { type TestRedis, testRedis } from '../helpers/redis.ts';
import { addReaders, type SendEnv, sendEnv, testConfig, waitFor } from '../helpers/send-env.ts';
import { startTestSink, type TestSink } from '../helpers/smtp-sink.ts';

let t: TestRedis;
let sink: TestSink;
let env: SendEnv;
let workers: RunningWorkers;

beforeAll(async () => {
  t = await testRedis('control');
  sink = await startTestSink(() => null, { keepRaw: false });
  // Small batches so that a send spans many jobs, as a long send does.
  env = sendEnv(t.redis, testConfig(t.prefix, { SMTP_URL: sink.url, SEND_BATCH_SIZE: '50' }));
  workers = await startWorkers(env.config, () => {});
});

afterAll(async () => {
  await workers?.close();
  await env?.queues.close();
  await sink?.close();
  await t?.cleanup();
});

const to = (domain: string) => sink.messages.filter((m) => m.to[0]?.endsWith(`@${domain}`));

/** Waits until the sink has `n` messages for `domain`. */
const received = (domain: string, n: number) =>
  waitFor(() => to(domain).length >= n, 30_000, `${n} messages`);

describe('controlling a send', () => {
  it('pauses within a second, stays paused, and resumes to deliver everyone exactly once', async () => {
    await addReaders(env.subscribers, 'pausing', 1200, { domain: 'pause.example' });
    const send = await createSend(env, { issueFile: 'issues/201.json', list: 'pausing' });
    await received('pause.example', 150);
    expect(await pauseSend(env, send.id, 'hard bounces over 5%')).toBe('paused');
    const pausedAt = Date.now();
    await new Promise((r) => setTimeout(r, 1500));
    const late = to('pause.example').filter((m) => m.at > pausedAt + 1000);
    expect(late).toHaveLength(0);
    const whilePaused = to('pause.example').length;
    expect(whilePaused).toBeLessThan(1200);
    await new Promise((r) => setTimeout(r, 500));
    expect(to('pause.example').length).toBe(whilePaused);
    expect((await sendStatus(env, send.id))?.state).toBe('paused');

    expect((await env.sends.get(send.id))?.reason).toBe('hard bounces over 5%');
    expect(await resumeSend(env, send.id)).toBe('sending');
    expect((await env.sends.get(send.id))?.reason).toBeNull();
    await waitFor(
      async () => (await env.sends.state(send.id)) === 'done',
      60_000,
      'the resumed send to finish',
    );
    const recipients = to('pause.example').map((m) => m.to[0]);
    expect(recipients).toHaveLength(1200);
    expect(new Set(recipients).size).toBe(1200);
  });

  it('cancels within a second: nothing more goes out', async () => {
    await addReaders(env.subscribers, 'cancelling', 1200, { domain: 'cancel.example' });
    const send = await createSend(env, { issueFile: 'issues/201.json', list: 'cancelling' });
    await received('cancel.example', 150);
    expect(await cancelSend(env, send.id)).toBe('cancelled');
    const cancelledAt = Date.now();
    await new Promise((r) => setTimeout(r, 2000));
    expect(to('cancel.example').filter((m) => m.at > cancelledAt + 1000)).toHaveLength(0);
    const status = await sendStatus(env, send.id);
    expect(status).toMatchObject({ state: 'cancelled', queued: 0 });
    expect(status?.delivered).toBeLessThan(1200);
    await expect(resumeSend(env, send.id)).rejects.toThrow(
      `Send ${send.id} is cancelled; it cannot be resumed now.`,
    );
  });

  it('skips a subscriber who unsubscribes mid-send before their message goes', async () => {
    const ids = await addReaders(env.subscribers, 'leaving', 600, { domain: 'leave.example' });
    const last = ids.at(-1) as number;
    const send = await createSend(env, { issueFile: 'issues/201.json', list: 'leaving' });
    await received('leave.example', 1);
    await env.subscribers.unsubscribe(last, { via: 'one-click', by: 'test', sendId: send.id });
    await waitFor(async () => (await env.sends.state(send.id)) === 'done', 60_000, 'the send to finish');
    expect(to('leave.example').some((m) => m.to[0] === 'reader599@leave.example')).toBe(false);
    expect(await sendStatus(env, send.id)).toMatchObject({ delivered: 599, skipped: 1, unsubscribed: 1 });
  });

  it('starts a send scheduled 2 s ahead no earlier than its time', async () => {
    await addReaders(env.subscribers, 'later', 20, { domain: 'later.example' });
    const at = DateTime.now().plus({ seconds: 2 }).setZone('Asia/Seoul');
    // No offset: read in TZ_DEFAULT (Asia/Seoul).
    const send = await createSend(env, {
      issueFile: 'issues/201.json',
      list: 'later',
      at: at.toFormat("yyyy-LL-dd'T'HH:mm:ss.SSS"),
    });
    expect(Math.abs(send.at - at.toMillis())).toBeLessThan(2);
    expect(await env.sends.state(send.id)).toBe('scheduled');
    await received('later.example', 20);
    const first = Math.min(...to('later.example').map((m) => m.at));
    expect(first).toBeGreaterThanOrEqual(at.toMillis());
    await waitFor(async () => (await env.sends.state(send.id)) === 'done', 10_000, 'the send to finish');
  });

  it('refuses an invalid issue, an empty list and a past time with their messages, storing nothing', async () => {
    const before = await env.sends.ids(100);
    const bad = `${t.prefix}-bad-issue.json`;
    await writeFile(`/tmp/${bad}`, JSON.stringify({ number: 202, month: '2021-13', locale: 'ja' }));
    await addReaders(env.subscribers, 'refusals', 1, { domain: 'refuse.example' });
    const invalid = createSend(env, { issueFile: `/tmp/${bad}`, list: 'refusals' });
    await expect(invalid).rejects.toBeInstanceOf(IssueError);
    await expect(invalid).rejects.toThrow('month (line 1): must look like 2021-11');
    const empty = createSend(env, { issueFile: 'issues/201.json', list: 'nobody-here' });
    await expect(empty).rejects.toBeInstanceOf(GazetteError);
    await expect(empty).rejects.toThrow(
      'The list "nobody-here" has no subscribers, so there is no one to send to; add some with `gazette subscribers import <file> --list nobody-here`.',
    );
    await expect(
      createSend(env, { issueFile: 'issues/201.json', list: 'refusals', at: '2020-12-01T09:00' }),
    ).rejects.toThrow(/^--at 2020-12-01 09:00:00 Asia\/Seoul is in the past/);
    expect(await env.sends.ids(100)).toEqual(before);
  });

  it('lets only one of two sends of an issue to a list started together through; the other names it', async () => {
    await addReaders(env.subscribers, 'together', 2, { domain: 'together.example' });
    const input = { issueFile: 'issues/201.json', list: 'together', at: '2099-01-01T09:00' };
    const [a, b] = await Promise.allSettled([createSend(env, input), createSend(env, input)]);
    const made = [a, b].flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
    const refused = [a, b].flatMap((r) => (r.status === 'rejected' ? [r.reason] : []));
    expect(made).toHaveLength(1);
    expect(refused[0]).toBeInstanceOf(AlreadySentError);
    expect(String(refused[0]?.message)).toContain(`in send ${made[0]?.id}`);
    await cancelSend(env, made[0]?.id ?? '');
  });

  it("keeps to SEND_RATE across the workers with BullMQ's limiter", async () => {
    const limited = await testRedis('rate');
    const config = testConfig(limited.prefix, { SMTP_URL: sink.url, SEND_RATE: '100' });
    const limitedEnv = sendEnv(limited.redis, config);
    const limitedWorkers = await startWorkers(config, () => {});
    try {
      await addReaders(limitedEnv.subscribers, 'rated', 300, { domain: 'rate.example' });
      const send = await createSend(limitedEnv, { issueFile: 'issues/201.json', list: 'rated' });
      await waitFor(
        async () => (await limitedEnv.sends.state(send.id)) === 'done',
        30_000,
        'the send to finish',
      );
      const times = to('rate.example').map((m) => m.at);
      // Three batches of 100, one job a second: the last batch cannot start before 2 s after the first.
      expect(Math.max(...times) - Math.min(...times)).toBeGreaterThanOrEqual(1900);
    } finally {
      await limitedWorkers.close();
      await limitedEnv.queues.close();
      await limited.cleanup();
    }
  });
});
