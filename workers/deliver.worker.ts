import { Worker } from 'bullmq';
import { type DeliverDeps, deliverProcessor } from '../src/send/deliver.processor.ts';
import { type DeliverJobData, QUEUE, workerOptions } from '../src/send/queues.ts';

/**
 * The worker of the `deliver` queue. A batch that fails for good (its retries used up on an
 * unexpected error) has its unsettled recipients counted failed, so the send still finishes.
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
    const final = job.attemptsMade >= (job.opts.attempts ?? 1);
    if (!final) {
      deps.log(`batch ${job.id}: attempt ${job.attemptsMade} failed (${err.message}); retrying with backoff`);
      return;
    }
    deps.log(`batch ${job.id} of send ${job.data.sendId} failed for good: ${err.message}`);
    try {
      const settled = await deps.sends.settledOf(job.data.sendId, job.data.ids);
      const left = job.data.ids.filter((_, i) => !settled[i]);
      await deps.sends.settleMany(
        job.data.sendId,
        left.map((subscriberId) => ({ subscriberId, outcome: 'failed' as const })),
      );
      await deps.sends.finishIfComplete(job.data.sendId);
    } catch (e) {
      deps.log(`batch ${job.id}: cannot record its failures: ${(e as Error).message}`);
    }
  });
  return worker;
}
