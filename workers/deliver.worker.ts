import { type Queue, Worker } from 'bullmq';
import { QUEUE } from '../src/queue-names.ts';
import { type DeliverDeps, deliverProcessor } from '../src/send/jobs/deliver.processor.ts';
import { failedForGood, settleFailedBatch, settleOrphanedBatches } from '../src/send/jobs/failed-batch.ts';
import type { DeliverJobData } from '../src/send/jobs/queues.ts';
import { workerOptions } from './worker-options.ts';

/**
 * The worker of the `deliver` queue. A batch that fails for good (its retries used up, bad data,
 * or stalled past maxStalledCount) has its unsettled recipients counted failed with the cause, so
 * the send still finishes; batches that failed while no worker could settle them (one died in between)
 * are settled from `queue`'s failed set when the worker starts and every ORPHAN_SWEEP_MS after.
 */
export function createDeliverWorker(
  deps: DeliverDeps,
  queue: Pick<Queue<DeliverJobData>, 'getFailed'>,
): Worker<DeliverJobData> {
  const worker = new Worker<DeliverJobData>(
    QUEUE.deliver,
    deliverProcessor(deps),
    workerOptions(deps.config, 'deliver'),
  );
  worker.on('error', (err) => deps.log(`deliver worker: ${err.message}`));
  worker.on('failed', async (job, err) => {
    if (!job) return;
    if (!failedForGood(job, err)) {
      deps.log(`batch ${job.id}: attempt ${job.attemptsMade} failed (${err.message}); retrying with backoff`);
      return;
    }
    deps.log(`batch ${job.id} failed for good: ${err.message}`);
    try {
      const n = await settleFailedBatch(deps, job.data, err.message);
      if (n > 0) deps.log(`batch ${job.id}: ${n} recipient(s) counted failed (${err.message})`);
    } catch (e) {
      deps.log(`batch ${job.id}: cannot record its failures: ${(e as Error).message}`);
    }
  });
  const sweep = () =>
    settleOrphanedBatches(deps, queue).then(
      (n) =>
        n > 0 && deps.log(`settled ${n} recipient(s) of batches that failed while no worker could record it`),
      (e: Error) => deps.log(`cannot settle failed batches: ${e.message}`),
    );
  void sweep();
  const timer = setInterval(sweep, ORPHAN_SWEEP_MS).unref();
  worker.on('closing', () => clearInterval(timer));
  return worker;
}

/** How often a worker looks for failed batches that nobody settled. */
export const ORPHAN_SWEEP_MS = 60_000;
