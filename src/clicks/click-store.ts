import type { Redis } from 'ioredis';
import { redisKey, type StoreDeps } from '../redis.ts';

/** Clicks from one reader on one link within this many seconds count once (double clicks, link scanners' retries). */
export const CLICK_DEDUPE_SECONDS = 5;

/**
 * Records one click atomically. Returns 1 if it counted, 0 if it repeated a click of the last few seconds.
 * Unique counts are bitmaps indexed by subscriber id: exact, one bit a reader, and SETBIT says whether
 * the reader is new. Memory grows with the highest subscriber id, never with the number of clicks.
 * KEYS: dedupe marker, totals hash, link readers bitmap, send readers bitmap, per-minute timeline hash.
 * ARGV: link id, subscriber id, minute (unix seconds / 60), dedupe seconds.
 */
const RECORD = `
if not redis.call('SET', KEYS[1], '1', 'NX', 'EX', ARGV[4]) then return 0 end
redis.call('HINCRBY', KEYS[2], ARGV[1], 1)
redis.call('SETBIT', KEYS[3], ARGV[2], 1)
redis.call('SETBIT', KEYS[4], ARGV[2], 1)
redis.call('HINCRBY', KEYS[5], ARGV[3], 1)
return 1
`;

/** Clicks on one link of a send. */
export interface LinkClicks {
  linkId: string;
  total: number;
  unique: number;
}

/** Click figures of one send. */
export interface SendClicks {
  links: LinkClicks[];
  /** Readers who clicked at least one link. */
  uniqueReaders: number;
  /** Clicks per minute: [unix seconds of the minute, count], oldest first. */
  timeline: [number, number][];
}

type ClickRedis = Redis & {
  gazetteRecordClick(...args: (string | number)[]): Promise<number>;
};

/** The click counters on Redis, under `prefix`. */
export function createClickStore({ redis, prefix, clock = Date.now }: StoreDeps) {
  if (!('gazetteRecordClick' in redis))
    redis.defineCommand('gazetteRecordClick', { numberOfKeys: 5, lua: RECORD });
  const r = redis as ClickRedis;
  const key = (sendId: string, ...parts: string[]) => redisKey(prefix, 'clicks', sendId, ...parts);

  return {
    /** Counts a click of `subscriberId` on `linkId` of `sendId`; false when it repeats one of the last seconds. */
    async record(sendId: string, linkId: string, subscriberId: number): Promise<boolean> {
      const minute = Math.floor(clock() / 60_000);
      const counted = await r.gazetteRecordClick(
        key(sendId, 'recent', String(subscriberId), linkId),
        key(sendId, 'total'),
        key(sendId, 'readers', linkId),
        key(sendId, 'readers'),
        key(sendId, 'timeline'),
        linkId,
        subscriberId,
        minute,
        CLICK_DEDUPE_SECONDS,
      );
      return counted === 1;
    },

    /** One bit per reader who clicked any link of the send (bit n: subscriber n), as stored. */
    readersOf(sendId: string): Promise<Buffer | null> {
      return redis.getBuffer(key(sendId, 'readers'));
    },

    /** Every clicked link of a send with its totals, unique readers and the per-minute timeline. */
    async forSend(sendId: string): Promise<SendClicks> {
      const totals = await redis.hgetall(key(sendId, 'total'));
      const ids = Object.keys(totals);
      const pipeline = redis.pipeline();
      for (const id of ids) pipeline.bitcount(key(sendId, 'readers', id));
      pipeline.bitcount(key(sendId, 'readers'));
      pipeline.hgetall(key(sendId, 'timeline'));
      const replies = (await pipeline.exec()) ?? [];
      const value = (i: number) => replies[i]?.[1];
      return {
        links: ids.map((linkId, i) => ({ linkId, total: Number(totals[linkId]), unique: Number(value(i)) })),
        uniqueReaders: Number(value(ids.length)),
        timeline: Object.entries((value(ids.length + 1) as Record<string, string>) ?? {})
          .map(([minute, n]): [number, number] => [Number(minute) * 60, Number(n)])
          .sort((a, b) => a[0] - b[0]),
      };
    },
  };
}
export type ClickStore = ReturnType<typeof createClickStore>;
