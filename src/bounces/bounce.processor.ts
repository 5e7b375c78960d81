import type { Job } from 'bullmq';
import { BounceJobData } from './bounce-queue.ts';
import type { BounceStore } from './bounce-store.ts';
import { type BounceMailDeps, type BounceMailResult, handleBounceMail } from './sources/bounce-mail.ts';

/** What the bounce processor needs. */
export interface BounceProcessorDeps extends BounceMailDeps {
  bounces: Pick<BounceStore, 'raw' | 'dropRaw'>;
}

/**
 * The `bounce` job processor: reads the kept message the job names, classifies it and applies the
 * policy (see handleBounceMail). A message that has expired meanwhile is logged and dropped; a
 * Redis error fails the job for a retry, which records nothing twice.
 */
export function bounceProcessor(deps: BounceProcessorDeps) {
  return async (job: Job<BounceJobData>): Promise<BounceMailResult | { missing: true }> => {
    const data = BounceJobData.parse(job.data);
    const raw = await deps.bounces.raw(data.raw);
    if (!raw) {
      deps.log(`bounce job ${job.id}: the message ${data.raw.slice(0, 12)} is no longer kept; nothing done`);
      return { missing: true };
    }
    return handleBounceMail(deps, { raw, hash: data.raw, to: data.to });
  };
}
