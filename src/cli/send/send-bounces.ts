import type { BounceStore } from '../../bounces/bounce-store.ts';
import type { SendRecord } from '../../send/record/send-store.ts';
import { sendBounceLines } from '../bounces/bounce-view.ts';

/** The lines `gazette status <send>` adds about bounces: counts by reason, complaints, why it paused itself. */
export async function sendBounceSummary(
  deps: { bounces: Pick<BounceStore, 'sendStats'> },
  record: Pick<SendRecord, 'id' | 'reason'>,
): Promise<string[]> {
  const stats = await deps.bounces.sendStats(record.id);
  return sendBounceLines(stats, record.reason);
}
