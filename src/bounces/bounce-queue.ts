import { createHash } from 'node:crypto';
import { type JobsOptions, Queue } from 'bullmq';
import { z } from 'zod';
import type { Config } from '../config.ts';
import { QUEUE, queueConnection } from '../queue-names.ts';

/** A received bounce: a reference to the kept message (its SHA-256, see BounceStore.saveRaw) and its envelope. */
export const BounceJobData = z.object({
  raw: z.string().regex(/^[a-f0-9]{64}$/),
  /** The envelope recipients that were bounce addresses (`bounces+<token>@BOUNCE_DOMAIN`). */
  to: z.array(z.string().max(320)).min(1).max(50),
  /** The SMTP client that delivered it, for the log. */
  remote: z.string().max(100),
  receivedAt: z.number().int(),
});
export type BounceJobData = z.infer<typeof BounceJobData>;

/**
 * Options of a bounce job: its id follows from the message and its recipients, so the same mail
 * received twice (a relay that lost our 250) is queued once while the first job is kept.
 */
export function bounceJobOptions(data: BounceJobData): JobsOptions {
  const to = [...data.to].sort().join(',');
  const id = createHash('sha256').update(`${data.raw}\0${to}`).digest('hex').slice(0, 40);
  return {
    jobId: `m-${id}`,
    attempts: 8,
    backoff: { type: 'exponential', delay: 1000 },
    removeOnComplete: { age: 24 * 3600, count: 10_000 },
    removeOnFail: { age: 7 * 24 * 3600 },
  };
}

/** The bounce queue, for the receiver to add jobs to. */
export function createBounceQueue(config: Config): Queue<BounceJobData> {
  return new Queue<BounceJobData>(QUEUE.bounce, queueConnection(config, 'bounce'));
}
