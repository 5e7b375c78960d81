import type { Job, Queue } from 'bullmq';
import type { Config } from '../../config.ts';
import type { Audience } from '../audience.ts';
import { editionFor } from '../edition-for.ts';
import type { SendStore } from '../record/send-store.ts';
import { finishSend, type OnSendFinished } from './finish-send.ts';
import { DeliverJobData, deliverJobId } from './queues.ts';

/**
 * BullMQ 6's failedReason for a job that stalled more than `maxStalledCount` times: its
 * moveStalledJobsToWait script marks it, and the next worker fails it with an UnrecoverableError
 * without running it, so `attemptsMade` stays low.
 */
export const STALLED_TOO_OFTEN = 'job stalled more than allowable limit';

/** True when a `failed` event means the job will not run again (moved to failed, whatever the attempts). */
export function failedForGood(job: Pick<Job, 'finishedOn' | 'attemptsMade' | 'opts'>, err: Error): boolean {
  return (
    typeof job.finishedOn === 'number' ||
    err.name === 'UnrecoverableError' ||
    job.attemptsMade >= (job.opts.attempts ?? 1)
  );
}

/** What settling a failed batch needs; with the subscribers, each failure counts in the reader's edition. */
interface FailedBatchDeps {
  sends: SendStore;
  log: (msg: string) => void;
  onFinished?: OnSendFinished;
  subscribers?: Pick<Audience, 'getMany'>;
  config?: Pick<Config, 'EDITION_FALLBACK'>;
}

/** The place of each recipient's edition in the send (see editionFor); 0 for all in a send of one edition. */
async function editionPlaces(
  deps: FailedBatchDeps,
  sendId: string,
  ids: readonly number[],
): Promise<number[]> {
  const editions = (await deps.sends.get(sendId))?.editions ?? [];
  if (editions.length < 2 || !deps.subscribers) return ids.map(() => 0);
  const members = await deps.subscribers.getMany(ids);
  return members.map((m) => editions.indexOf(editionFor(m?.locale, editions, deps.config?.EDITION_FALLBACK)));
}

/**
 * Settles every recipient of a batch that failed for good and has no outcome yet as `failed`
 * (cause `stalled` when it stopped its worker too often, else `error`, with BullMQ's reason as the
 * words), then finishes the send if that was all. Returns how many it settled; bad job data
 * settles nobody (there is no one to name).
 */
export async function settleFailedBatch(
  deps: FailedBatchDeps,
  data: unknown,
  reason: string,
): Promise<number> {
  const parsed = DeliverJobData.safeParse(data);
  if (!parsed.success) return 0;
  const { sendId, ids } = parsed.data;
  const settled = await deps.sends.settledOf(sendId, ids);
  const cause = reason === STALLED_TOO_OFTEN ? 'stalled' : 'error';
  const left = ids.filter((_, i) => !settled[i]);
  const words = reason.replace(/\s+/g, ' ').slice(0, 160);
  const places = await editionPlaces(deps, sendId, left);
  const n = await deps.sends.settleMany(
    sendId,
    left.map((subscriberId, i) => ({
      subscriberId,
      outcome: 'failed' as const,
      cause,
      words,
      edition: places[i] ?? 0,
    })),
  );
  await finishSend(deps, sendId);
  return n;
}

/**
 * Settles the batches that failed for good with nobody to settle them: a worker that dies between
 * BullMQ moving its job to `failed` and the `failed` handler's write would leave the send `sending`
 * for ever. Reads the failed set, and settles only batches of the current pass of sends that are
 * still sending or paused (a batch of an earlier pass must not touch readers a retry is serving).
 * Settling is idempotent, so a batch a handler already settled costs one read. Returns how many
 * recipients it settled.
 */
export async function settleOrphanedBatches(
  deps: FailedBatchDeps,
  queue: Pick<Queue<DeliverJobData>, 'getFailed'>,
): Promise<number> {
  const PAGE = 500;
  const passes = new Map<string, number | null>();
  const currentPass = async (sendId: string) => {
    if (!passes.has(sendId)) {
      const record = await deps.sends.get(sendId);
      const live = record && (record.state === 'sending' || record.state === 'paused');
      passes.set(sendId, live ? (record.pass ?? 1) : null);
    }
    return passes.get(sendId) ?? null;
  };
  let settled = 0;
  for (let start = 0; ; start += PAGE) {
    const jobs = await queue.getFailed(start, start + PAGE - 1);
    for (const job of jobs) {
      const data = DeliverJobData.safeParse(job.data);
      if (!data.success) continue;
      const pass = await currentPass(data.data.sendId);
      if (pass === null || job.id !== deliverJobId(data.data.sendId, data.data.ids, pass)) continue;
      settled += await settleFailedBatch(deps, job.data, job.failedReason);
    }
    if (jobs.length < PAGE) return settled;
  }
}
