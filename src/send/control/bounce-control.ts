import type { SendControl } from '../../bounces/policy.ts';
import type { SendStore } from '../record/send-store.ts';

/** How many sends, newest first, the soft-bounce streak looks back through for one address. */
const STREAK_SCAN = 200;

/**
 * The narrow view of sends that the bounce policy gets: a send's figures, pausing it with a reason,
 * and the sends that reached one subscriber. A send that paused itself once and was resumed by a
 * person never pauses itself again.
 */
export function bounceSendControl(
  sends: Pick<SendStore, 'get' | 'counts' | 'systemPause' | 'idsUpTo' | 'settledOf'>,
): SendControl {
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
    async reached(subscriberId, upTo, limit) {
      const last = await sends.get(upTo);
      if (!last) return [];
      const found: string[] = [];
      // A page of sends at a time: on a monthly cadence the first page holds every send that matters.
      for (let offset = 0; offset < STREAK_SCAN && found.length < limit; offset += 20) {
        const ids = await sends.idsUpTo(last.createdAt, offset, 20);
        if (ids.length === 0) break;
        const records = await Promise.all(ids.map((id) => sends.get(id)));
        const real = ids.filter((_, i) => records[i] && !records[i]?.testTo);
        const settled = await Promise.all(real.map((id) => sends.settledOf(id, [subscriberId])));
        found.push(...real.filter((_, i) => settled[i]?.[0]));
      }
      return found.slice(0, limit);
    },
  };
}
