import type { Redis } from 'ioredis';
import { readSendBounceStats } from '../../bounces/bounce-store.ts';
import type { Config } from '../../config.ts';
import type { SendRecord } from '../../send/record/send-store.ts';
import { sendBounceLines } from '../bounces/bounce-view.ts';

/** The lines `gazette status <send>` adds about bounces: counts by reason, complaints, why it paused itself. */
export async function sendBounceSummary(
  deps: { redis: Redis; config: Config },
  record: Pick<SendRecord, 'id' | 'reason'>,
): Promise<string[]> {
  const stats = await readSendBounceStats(deps.redis, deps.config.REDIS_PREFIX, record.id);
  return sendBounceLines(stats, record.reason);
}
