import type { Redis } from 'ioredis';
import { createBounceStore } from '../bounces/store.ts';
import type { Config } from '../config.ts';
import type { SendRecord } from '../send/send-store.ts';
import { sendBounceLines } from './bounce-view.ts';

/** The lines `gazette status <send>` adds about bounces: counts by reason, complaints, why it paused itself. */
export async function sendBounceSummary(
  deps: { redis: Redis; config: Config },
  record: Pick<SendRecord, 'id' | 'reason'>,
): Promise<string[]> {
  const bounces = createBounceStore({
    redis: deps.redis,
    prefix: deps.config.REDIS_PREFIX,
    rawDays: deps.config.BOUNCE_RAW_DAYS,
    softDays: deps.config.BOUNCE_SOFT_DAYS,
  });
  return sendBounceLines(await bounces.sendStats(record.id), record.reason);
}
