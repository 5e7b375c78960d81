import { type JobsOptions, Queue } from 'bullmq';
import { z } from 'zod';
import { Locale } from '../../issue/schema.ts';
import { QUEUE, queuePrefix } from '../../queue-names.ts';
import { type AnyRedis, isCluster } from '../../redis.ts';
import { ConsentSource } from '../subscriber-schema.ts';

/**
 * One sign-up to confirm, as the request left it: what was asked for, by whom and under which of our
 * wordings. Nothing is stored about the person until its mail has gone out.
 */
export const ConfirmJob = z.object({
  /** Names the request's confirmation link; a second request gets a second nonce. */
  nonce: z.string().regex(/^[0-9a-f]{12}$/),
  email: z.string(),
  name: z.string(),
  locale: Locale,
  lists: z.array(z.string()).min(1),
  source: ConsentSource.exclude(['import']),
  /** The requester's IP address. */
  by: z.string(),
  wordingId: z.string(),
  /** The URL of the form the request came from. */
  formUrl: z.string(),
  /** When the request arrived (epoch ms). */
  at: z.number(),
});
export type ConfirmJob = z.infer<typeof ConfirmJob>;

/** Options of every confirmation job: a failed mail is tried again for about an hour, then dropped. */
export const confirmJobOptions: JobsOptions = {
  attempts: 8,
  backoff: { type: 'exponential', delay: 15_000 },
  removeOnComplete: true,
  removeOnFail: { age: 7 * 24 * 3600 },
};

/** The queue sign-ups are added to, on a shared (non-blocking) connection. */
export function createConfirmQueue({
  redis,
  prefix,
}: {
  redis: AnyRedis;
  prefix: string;
}): Queue<ConfirmJob> {
  return new Queue<ConfirmJob>(QUEUE.confirm, {
    connection: redis,
    prefix: queuePrefix(prefix, 'confirm', isCluster(redis)),
    streams: { events: { maxLen: 100 } },
  });
}
