import type { Job } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSend } from '../../src/send/control/schedule.ts';
import { fanoutProcessor } from '../../src/send/jobs/fanout.processor.ts';
import type { FanoutJobData } from '../../src/send/jobs/queues.ts';
import { type TestRedis, testRedis } from '../helpers/redis.ts';
import { addReaders, type SendEnv, sendEnv, testConfig } from '../helpers/send-env.ts';

let t: TestRedis;
let env: SendEnv;

beforeAll(async () => {
  t = await testRedis('fanout');
  // No worker runs here: the delivery jobs stay in the queue to be counted.
  env = sendEnv(t.redis, testConfig(t.prefix, { SEND_BATCH_SIZE: '100' }));
});

afterAll(async () => {
  await env?.queues.close();
  await t?.cleanup();
});

describe('the fan-out', () => {
  it('continues from its cursor after a crash and adds no delivery job twice', async () => {
    const ids = await addReaders(env.subscribers, 'fan', 2500, { domain: 'fan.example' });
    const send = await createSend(env, {
      issueFile: 'issues/201.json',
      list: 'fan',
      at: '2099-01-01T00:00Z',
    });
    const job = { data: { sendId: send.id } } as Job<FanoutJobData>;
    let pages = 0;
    const crashing = {
      pageList: async (list: string, after: number, count: number) => {
        if (++pages > 2) throw new Error('worker killed');
        return env.subscribers.pageList(list, after, count);
      },
    };
    const deps = { sends: env.sends, queues: env.queues, config: env.config, log: () => {} };
    await expect(fanoutProcessor({ ...deps, subscribers: crashing })(job)).rejects.toThrow('worker killed');
    const halfway = await env.sends.get(send.id);
    expect(halfway?.cursor).toBe(ids[1599]);
    expect(halfway?.fanoutDone).toBe(false);

    // BullMQ runs the job again; so does a third, needless run.
    expect(await fanoutProcessor({ ...deps, subscribers: env.subscribers })(job)).toEqual({
      sendId: send.id,
      queued: 900,
    });
    expect(await fanoutProcessor({ ...deps, subscribers: env.subscribers })(job)).toEqual({
      sendId: send.id,
      queued: 0,
    });

    const jobs = await env.queues.deliver.getJobs(['wait', 'prioritized', 'delayed']);
    expect(jobs).toHaveLength(25);
    const queued = jobs.flatMap((j) => j.data.ids).sort((a, b) => a - b);
    expect(queued).toEqual(ids);
    for (const j of jobs) expect(j.id).toMatch(/^s[a-z0-9]+-\d+-\d+-\d+$/);
    expect(await env.sends.counts(send.id)).toMatchObject({ total: 2500 });
    expect((await env.sends.get(send.id))?.fanoutDone).toBe(true);
    expect(jobs.every((j) => Object.keys(j.data).sort().join() === 'ids,sendId')).toBe(true);
  });
});
