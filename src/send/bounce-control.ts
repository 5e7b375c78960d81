import type { SendControl } from '../bounces/policy.ts';
import type { SendStore } from './send-store.ts';

/**
 * The narrow view of sends that the bounce policy gets: a send's figures, and pausing it with a
 * reason. A send that paused itself once and was resumed by a person never pauses itself again.
 */
export function bounceSendControl(
  sends: Pick<SendStore, 'get' | 'counts' | 'transition' | 'setReason'>,
): SendControl {
  return {
    async figures(id) {
      const [record, counts] = await Promise.all([sends.get(id), sends.counts(id)]);
      if (!record) return null;
      return {
        messages: counts.delivered + counts.failed,
        canPause: record.state === 'sending' && !record.reason,
      };
    },
    async pause(id, reason) {
      const { changed } = await sends.transition(id, 'paused', ['sending']);
      // The send store keeps this field for exactly this ("paused by the system rather than a person").
      if (changed) await sends.setReason(id, reason);
      return changed;
    },
  };
}
