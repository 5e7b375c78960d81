import { Worker } from 'bullmq';
import { type BounceProcessorDeps, bounceProcessor } from '../src/bounces/bounce.processor.ts';
import type { BounceJobData } from '../src/bounces/bounce-queue.ts';
import type { Config } from '../src/config.ts';
import { QUEUE } from '../src/queue-names.ts';
import { workerOptions } from './worker-options.ts';

/** The worker of the `bounce` queue: classifies each received bounce mail and applies the policy. */
export function createBounceWorker(deps: BounceProcessorDeps & { config: Config }): Worker<BounceJobData> {
  const worker = new Worker<BounceJobData>(
    QUEUE.bounce,
    bounceProcessor(deps),
    workerOptions(deps.config, 'bounce'),
  );
  worker.on('error', (err) => deps.log(`bounce worker: ${err.message}`));
  worker.on('failed', (job, err) => deps.log(`bounce job ${job?.id ?? '?'} failed: ${err.message}`));
  return worker;
}
