import type { Job } from 'bullmq';
import { z } from 'zod';
import type { Config } from '../config.ts';
import type { Audience } from './audience.ts';
import {
  batchSize,
  type DeliverJobData,
  deliverJobId,
  deliverJobOptions,
  type FanoutJobData,
  JOB,
  type Queues,
} from './queues.ts';
import type { SendStore } from './send-store.ts';

/** What the fan-out processor needs. */
export interface FanoutDeps {
  sends: SendStore;
  audience: Pick<Audience, 'pageList'>;
  queues: Pick<Queues, 'deliver'>;
  config: Config;
  log: (msg: string) => void;
}

/** What one fan-out run did. */
export interface FanoutResult {
  sendId: string;
  queued: number;
  stopped?: 'cancelled' | 'missing';
}

const JobData = z.object({ sendId: z.string().regex(/^[a-z0-9-]+$/) });

/** Batches added per round trip (and per cursor save). */
const BATCHES_PER_ROUND = 8;

/**
 * The `fanout` job processor (queue `send`): at the scheduled time, walks the send's list in id
 * order from the saved cursor and adds delivery jobs of a few hundred ids each. Job ids follow
 * from their content and the cursor is saved after each round, so a fan-out that runs again
 * continues where it stopped and adds nothing twice.
 */
export function fanoutProcessor(deps: FanoutDeps) {
  return async (job: Job<FanoutJobData>): Promise<FanoutResult> => {
    const { sendId } = JobData.parse(job.data);
    const send = await deps.sends.get(sendId);
    if (!send) return { sendId, queued: 0, stopped: 'missing' };
    if (send.state === 'cancelled' || send.state === 'done')
      return { sendId, queued: 0, stopped: 'cancelled' };
    await deps.sends.start(sendId);
    const size = batchSize(deps.config);
    const options = deliverJobOptions(deps.config);
    let cursor = send.cursor;
    let queued = 0;
    for (;;) {
      if ((await deps.sends.state(sendId)) === 'cancelled') return { sendId, queued, stopped: 'cancelled' };
      const ids = await deps.audience.pageList(send.list, cursor, size * BATCHES_PER_ROUND);
      if (ids.length === 0) break;
      const jobs = [];
      for (let i = 0; i < ids.length; i += size) {
        const batch = ids.slice(i, i + size);
        const data: DeliverJobData = { sendId, ids: batch };
        jobs.push({ name: JOB.deliver, data, opts: { ...options, jobId: deliverJobId(sendId, batch) } });
      }
      await deps.queues.deliver.addBulk(jobs);
      cursor = ids.at(-1) as number;
      await deps.sends.advance(sendId, cursor, ids.length);
      queued += ids.length;
    }
    await deps.sends.fanoutDone(sendId);
    deps.log(`send ${sendId}: queued ${queued} recipient(s) of list ${send.list}`);
    return { sendId, queued };
  };
}
