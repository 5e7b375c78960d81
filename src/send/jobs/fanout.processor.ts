import type { Job } from 'bullmq';
import type { Config } from '../../config.ts';
import { JOB } from '../../queue-names.ts';
import type { Audience } from '../audience.ts';
import type { SendStore } from '../record/send-store.ts';
import { finishSend, type OnSendFinished } from './finish-send.ts';
import {
  batchSize,
  type DeliverJobData,
  deliverJobId,
  deliverJobOptions,
  FanoutJobData,
  parseJobData,
  type Queues,
} from './queues.ts';

/** What the fan-out processor needs. */
export interface FanoutDeps {
  sends: SendStore;
  subscribers: Pick<Audience, 'pageList'>;
  queues: Pick<Queues, 'deliver'>;
  config: Config;
  log: (msg: string) => void;
  onFinished?: OnSendFinished;
}

/** What one fan-out run did. */
export interface FanoutResult {
  sendId: string;
  queued: number;
  stopped?: 'cancelled' | 'missing';
}

/** Batches added per round trip (and per cursor save). */
const BATCHES_PER_ROUND = 8;

/**
 * How long a fan-out waits for its send's record: `createSend` adds the job first (so no send can
 * be stored without one) and stores the record right after.
 */
export const RECORD_GRACE_MS = 60_000;

/**
 * The `fanout` job processor (queue `send`): at the scheduled time, walks the send's list (or, for
 * a retry pass, the ids that pass retries) in id order from the saved cursor and adds delivery
 * jobs of a few hundred ids each. Job ids follow from their content and the cursor is saved after
 * each round, so a fan-out that runs again continues where it stopped and adds nothing twice.
 */
export function fanoutProcessor(deps: FanoutDeps) {
  return async (job: Job<FanoutJobData>): Promise<FanoutResult> => {
    const { sendId, pass = 1 } = parseJobData(FanoutJobData, job.data);
    if (pass > 1) await deps.sends.beginRetry(sendId, pass);
    const send = await deps.sends.get(sendId);
    if (!send) {
      // A plain error: BullMQ tries again with backoff until the record is there or the grace is over.
      if (Date.now() - job.timestamp < RECORD_GRACE_MS) throw new Error(`send ${sendId} is not stored yet`);
      return { sendId, queued: 0, stopped: 'missing' };
    }
    if (send.state === 'cancelled' || send.state === 'done' || (send.pass ?? 1) !== pass)
      return { sendId, queued: 0, stopped: 'cancelled' };
    await deps.sends.start(sendId);
    const size = batchSize(deps.config);
    const options = deliverJobOptions(deps.config);
    const page = (after: number, count: number) =>
      pass > 1
        ? deps.sends.pagePass(sendId, pass, after, count)
        : deps.subscribers.pageList(send.list, after, count);
    let cursor = send.cursor;
    let queued = 0;
    for (;;) {
      if ((await deps.sends.state(sendId)) === 'cancelled') return { sendId, queued, stopped: 'cancelled' };
      const ids = await page(cursor, size * BATCHES_PER_ROUND);
      if (ids.length === 0) break;
      const jobs = [];
      for (let i = 0; i < ids.length; i += size) {
        const batch = ids.slice(i, i + size);
        const data: DeliverJobData = { sendId, ids: batch };
        jobs.push({
          name: JOB.deliver,
          data,
          opts: { ...options, jobId: deliverJobId(sendId, batch, pass) },
        });
      }
      await deps.queues.deliver.addBulk(jobs);
      cursor = ids.at(-1) as number;
      // A retry delivers again to recipients already counted in the total.
      await deps.sends.advance(sendId, cursor, pass > 1 ? 0 : ids.length);
      queued += ids.length;
    }
    await deps.sends.fanoutDone(sendId);
    const what = pass > 1 ? `retry ${pass - 1} of` : 'list';
    deps.log(`send ${sendId}: queued ${queued} recipient(s) of ${what} ${pass > 1 ? 'the send' : send.list}`);
    await finishSend(deps, sendId);
    return { sendId, queued };
  };
}
