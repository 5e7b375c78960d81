import type { AnyRedis } from '../../redis.ts';
import { RETRYABLE_CAUSES } from '../wire/smtp-failure.ts';
import { type FailureGroup, groupFailures, type PassFigures, readPasses } from './send-failures.ts';
import { passKeys, sendKeys } from './send-keys.ts';
import type { SendRecord, Settlement } from './send-record.ts';

/**
 * The send store's outcome side (see createSendStore): the settled bitmap and counts, failures by
 * cause, the system's pauses, and the passes of `gazette retry`. Each change is one script.
 */
export function sendOutcomes(deps: {
  redis: AnyRedis;
  prefix: string;
  clock: () => number;
  get: (id: string) => Promise<SendRecord | null>;
}) {
  const { redis, prefix, clock, get } = deps;
  const keysOf = (id: string) => sendKeys(prefix, id);

  async function settleMany(id: string, items: readonly Settlement[]): Promise<number> {
    if (items.length === 0) return 0;
    const k = keysOf(id);
    const quints = items.flatMap((i) => [
      i.subscriberId,
      i.outcome,
      i.cause ?? '',
      i.words ?? '',
      i.edition ?? 0,
    ]);
    return redis.gzSendSettle(
      k.settled,
      k.counts,
      k.meta,
      k.minutes,
      k.retryable,
      k.failures,
      k.edition,
      k.editionCounts,
      clock(),
      RETRYABLE_CAUSES.join(','),
      ...quints,
    );
  }

  return {
    /** Which of `ids` already have an outcome in this send, in the same order. One command. */
    async settledOf(id: string, ids: readonly number[]): Promise<boolean[]> {
      if (ids.length === 0) return [];
      const args = ids.flatMap((sub) => ['GET', 'u1', String(sub)]);
      const bits = (await redis.call('BITFIELD_RO', keysOf(id).settled, ...args)) as number[];
      return bits.map((b) => b === 1);
    },
    /** Records one outcome; false when the recipient had one already (nothing is counted twice). */
    async settle(id: string, item: Settlement): Promise<boolean> {
      return (await settleMany(id, [item])) === 1;
    },
    /** Records several outcomes in one command; returns how many were new. */
    settleMany,
    /**
     * Pauses a running send on the system's behalf with `reason`; with `once`, only the first time
     * for that key (a person who resumes it has judged that reason). True when this call paused it.
     */
    async systemPause(id: string, reason: string, once = ''): Promise<boolean> {
      return (await redis.gzSendSystemPause(keysOf(id).meta, clock(), reason, once)) === 1;
    },
    /** Begins retry pass `pass` of a done send (see BEGIN_RETRY in send-scripts.ts for the answers). */
    async beginRetry(id: string, pass: number): Promise<{ status: number; detail: string }> {
      const k = keysOf(id);
      const p = passKeys(prefix, id, pass);
      const [status, detail] = await redis.gzSendBeginRetry(
        k.meta,
        k.counts,
        k.settled,
        k.retryable,
        k.failures,
        p.before,
        p.ids,
        p.failures,
        k.edition,
        k.editionCounts,
        clock(),
        pass,
        RETRYABLE_CAUSES.join(','),
      );
      return { status, detail };
    },
    /** How many recipients failed with a retryable cause and are not being retried yet. */
    async retryableCount(id: string): Promise<number> {
      return redis.zcard(keysOf(id).retryable);
    },
    /** Up to `count` ids of retry pass `pass` after `afterId`, in id order. */
    async pagePass(id: string, pass: number, afterId: number, count: number): Promise<number[]> {
      const ids = await redis.zrangebyscore(
        passKeys(prefix, id, pass).ids,
        `(${afterId}`,
        '+inf',
        'LIMIT',
        0,
        count,
      );
      return ids.map(Number);
    },
    /** The send's failures grouped by cause, with the relay's words. */
    async failures(id: string): Promise<FailureGroup[]> {
      return groupFailures(await redis.hgetall(keysOf(id).failures));
    },
    /** What each pass of the send did (one pass unless `gazette retry` ran); empty for no such send. */
    async passes(id: string): Promise<PassFigures[]> {
      const record = await get(id);
      if (!record) return [];
      const before = (n: number) => passKeys(prefix, id, n).before;
      return readPasses(redis, { counts: keysOf(id).counts, before }, record.startedAt, record.pass ?? 1);
    },
  };
}
