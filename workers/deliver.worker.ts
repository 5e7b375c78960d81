import { Worker } from 'bullmq';
import { type DeliverDeps, deliverProcessor } from '../src/send/deliver.processor.ts';
import { failedForGood, settleFailedBatch } from '../src/send/failed-batch.ts';
import { type DeliverJobData, QUEUE, workerOptions } from '../src/send/queues.ts';

/**
 * The worker of the `deliver` queue. A batch that fails for good (its retries used up, bad data,
 * or stalled past maxStalledCount) has its unsettled recipients counted failed with the cause, so
 * the send still finishes.
 */
export function createDeliverWorker(deps: DeliverDeps): Worker<DeliverJobData> {
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
  return worker;
}
