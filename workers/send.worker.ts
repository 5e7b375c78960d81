import { Worker } from 'bullmq';
import { QUEUE } from '../src/queue-names.ts';
import { type FanoutDeps, fanoutProcessor } from '../src/send/jobs/fanout.processor.ts';
import type { FanoutJobData } from '../src/send/jobs/queues.ts';
import { workerOptions } from './worker-options.ts';

/** The worker of the `send` queue: runs each send's fan-out when it is due. */
export function createSendWorker(deps: FanoutDeps): Worker<FanoutJobData> {
  const worker = new Worker<FanoutJobData>(
    QUEUE.send,
    fanoutProcessor(deps),
    workerOptions(deps.config, 'send'),
  );
  worker.on('error', (err) => deps.log(`send worker: ${err.message}`));
  worker.on('failed', (job, err) =>
    deps.log(`fan-out of send ${job?.data.sendId ?? '?'} failed: ${err.message}`),
  );
  return worker;
}
