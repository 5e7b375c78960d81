import type { WorkerOptions } from 'bullmq';
import type { Config } from '../src/config.ts';
import { type QueueName, queueConnection } from '../src/queue-names.ts';
import { batchSize } from '../src/send/jobs/queues.ts';

/**
 * Worker options of each queue: concurrency, locks, stall detection and the send's global rate
 * limit. The one place BullMQ's worker settings are chosen.
 */
export function workerOptions(config: Config, queue: QueueName): WorkerOptions {
  const connected = queueConnection(config, queue);
  if (queue === 'bounce') return { ...connected, concurrency: 4 };
  if (queue === 'confirm') return { ...connected, concurrency: 2 };
  const locks = {
    lockDuration: config.WORKER_LOCK_MS,
    stalledInterval: Math.max(1000, Math.floor(config.WORKER_LOCK_MS / 2)),
    // A killed worker leaves its jobs stalled; let them be taken up again several times.
    maxStalledCount: 5,
  };
  if (queue === 'send') return { ...connected, ...locks, concurrency: 2 };
  const size = batchSize(config);
  return {
    ...connected,
    ...locks,
    // Two batches at once keep the SMTP pool busy while the next batch loads its recipients.
    concurrency: 2,
    ...(config.SEND_RATE > 0
      ? { limiter: { max: 1, duration: Math.ceil((size / config.SEND_RATE) * 1000) } }
      : {}),
  };
}
