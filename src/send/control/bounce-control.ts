import type { SendControl } from '../../bounces/policy.ts';
import type { SendStore } from '../record/send-store.ts';

/**
 * The narrow view of sends that the bounce policy gets: a send's figures, and pausing it with a
 * reason. A send that paused itself once and was resumed by a person never pauses itself again.
 */
export function bounceSendControl(sends: Pick<SendStore, 'get' | 'counts' | 'systemPause'>): SendControl {
  return {
    async figures(id) {
      const [record, counts] = await Promise.all([sends.get(id), sends.counts(id)]);
      if (!record) return null;
      return {
        messages: counts.delivered + counts.failed,
        canPause: record.state === 'sending',
      };
    },
    // Once per send: a person who resumed it after it paused itself has judged the bounce rate.
    pause: (id, reason) => sends.systemPause(id, reason, 'bounce-rate'),
  };
}
