import type { Job } from 'bullmq';
import { finishSend } from './finish-send.ts';
import { DeliverJobData } from './queues.ts';
import type { SendStore } from './send-store.ts';

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

/**
 * Settles every recipient of a batch that failed for good and has no outcome yet as `failed`
 * (cause `stalled` when it stopped its worker too often, else `error`, with BullMQ's reason as the
 * words), then finishes the send if that was all. Returns how many it settled; bad job data
 * settles nobody (there is no one to name).
 */
export async function settleFailedBatch(
  deps: { sends: SendStore; log: (msg: string) => void },
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
  const n = await deps.sends.settleMany(
    sendId,
    left.map((subscriberId) => ({ subscriberId, outcome: 'failed' as const, cause, words })),
  );
  await finishSend(deps, sendId);
  return n;
}
