import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import { redisKey } from '../redis.ts';
import { sendKeys } from '../send/send-store.ts';
import { emailKey } from '../subscribers/email.ts';
import { type BounceEvent, decodeEvent, eventFields, type NewBounceEvent } from './bounce-event.ts';
import { defineBounceScripts } from './bounce-scripts.ts';
import type { BounceKind, BounceReason } from './result.ts';

/** Events kept in the global stream (`gazette bounces list`); older ones are trimmed. */
const EVENTS_CAP = 100_000;
/** Events kept in one address's history (`gazette subscribers show`). */
const ADDRESS_CAP = 50;
const DAY_MS = 24 * 3600 * 1000;

/** A short, fixed-length name for an address in key names (addresses may hold `{`, `:` and the like). */
function addressId(email: string): string {
  return createHash('sha256').update(emailKey(email)).digest('hex').slice(0, 24);
}

/** Every Redis key of the bounce records, under `<prefix>:bounces:` (BullMQ's queue is `<prefix>:bounce:`). */
export function bounceKeys(prefix: string) {
  return {
    events: redisKey(prefix, 'bounces', 'events'),
    address: (email: string) => redisKey(prefix, 'bounces', 'addr', addressId(email)),
    soft: (email: string) => redisKey(prefix, 'bounces', 'soft', addressId(email)),
    seen: (identity: string) =>
      redisKey(prefix, 'bounces', 'seen', createHash('sha256').update(identity).digest('hex').slice(0, 32)),
    /** Counts by kind and reason of one send (`kind:hard`, `reason:user_unknown`, …). */
    send: (sendId: string) => redisKey(prefix, 'bounces', 'send', sendId),
    raw: (hash: string) => redisKey(prefix, 'bounces', 'raw', hash),
  };
}

/** A send's bounces and complaints, by kind and by reason. */
export interface SendBounceStats {
  hard: number;
  soft: number;
  complaint: number;
  reasons: Partial<Record<BounceReason, number>>;
}

/** What `reserve` found: a new (or half-recorded) event with the address's soft count, or one done before. */
export type Reservation = { fresh: true; softCount: number } | { fresh: false };

/** A send's bounce and complaint counts, by kind and by reason: one read of its counters hash. */
export async function readSendBounceStats(
  redis: Redis,
  prefix: string,
  sendId: string,
): Promise<SendBounceStats> {
  const h = await redis.hgetall(bounceKeys(prefix).send(sendId));
  const stats: SendBounceStats = { hard: 0, soft: 0, complaint: 0, reasons: {} };
  for (const [field, value] of Object.entries(h)) {
    const [what, name] = field.split(':') as [string, string];
    if (what === 'kind' && (name === 'hard' || name === 'soft' || name === 'complaint'))
      stats[name] = Number(value);
    else if (what === 'reason') stats.reasons[name as BounceReason] = Number(value);
  }
  return stats;
}

/**
 * The bounce records on Redis: event streams (global, per address, per send), soft-bounce windows,
 * per-send counts and the received messages themselves for BOUNCE_RAW_DAYS.
 */
export function createBounceStore({
  redis,
  prefix,
  rawDays,
  softDays,
}: {
  redis: Redis;
  prefix: string;
  rawDays: number;
  softDays: number;
}) {
  defineBounceScripts(redis);
  const keys = bounceKeys(prefix);
  const windowMs = Math.round(softDays * DAY_MS);
  // An identity is remembered as long as anything it could be counted against.
  const seenSeconds = Math.ceil(Math.max(softDays, rawDays, 7) * 24 * 3600);
  const rawSeconds = Math.ceil(rawDays * 24 * 3600);

  async function readStream(key: string, start: string, count: number): Promise<BounceEvent[]> {
    const entries = await redis.xrange(key, start, '+', 'COUNT', count);
    return entries.map(([id, fields]) => decodeEvent(id, fields)).filter((e): e is BounceEvent => e !== null);
  }

  return {
    keys,
    /**
     * Claims an event's identity (first half of recording it; see bounce-scripts.ts). For a soft
     * bounce, returns how many soft bounces the address had in the window, this one included.
     */
    async reserve(identity: string, email: string, kind: BounceKind, now: number): Promise<Reservation> {
      const state = await redis.gzBounceReserve(
        keys.seen(identity),
        keys.soft(email),
        seenSeconds,
        now,
        now - windowMs,
        kind,
        identity,
        windowMs,
      );
      return state === 'd' ? { fresh: false } : { fresh: true, softCount: Number(state.slice(1)) };
    },
    /** Stores a reserved event with what the policy did; false when it had been stored already. */
    async commit(identity: string, event: NewBounceEvent, action: string): Promise<boolean> {
      const fields = eventFields({ ...event, action });
      const base = [keys.seen(identity), keys.events, keys.address(event.email)];
      const sendKeysOf = event.send
        ? [keys.send(event.send), sendKeys(prefix, event.send).events, sendKeys(prefix, event.send).counts]
        : [];
      const allKeys = [...base, ...sendKeysOf];
      const stored = await redis.gzBounceCommit(
        allKeys.length,
        ...allKeys,
        EVENTS_CAP,
        ADDRESS_CAP,
        event.kind,
        event.reason,
        ...fields,
      );
      return stored === 1;
    },
    /** Events recorded at or after `since` (ms), oldest first, at most `limit`. */
    list: (since: number, limit = 1000): Promise<BounceEvent[]> =>
      readStream(keys.events, String(Math.max(0, Math.floor(since))), limit),
    /** One address's events, oldest first (the last ADDRESS_CAP). */
    forAddress: (email: string): Promise<BounceEvent[]> => readStream(keys.address(email), '-', ADDRESS_CAP),
    /** Soft bounces of an address within the window ending `now`. */
    async softCount(email: string, now: number): Promise<number> {
      return redis.zcount(keys.soft(email), now - windowMs, '+inf');
    },
    /** A send's bounce counts by kind and reason. */
    sendStats: (sendId: string): Promise<SendBounceStats> => readSendBounceStats(redis, prefix, sendId),
    /** Keeps a received message for BOUNCE_RAW_DAYS under its SHA-256; returns that hash (the same bytes give the same hash). */
    async saveRaw(raw: Buffer): Promise<string> {
      const hash = createHash('sha256').update(raw).digest('hex');
      await redis.set(keys.raw(hash), raw, 'EX', rawSeconds);
      return hash;
    },
    /** A kept message, or null once it has expired. */
    raw: (hash: string): Promise<Buffer | null> => redis.getBuffer(keys.raw(hash)),
  };
}

/** The bounce store's interface (see createBounceStore). */
export type BounceStore = ReturnType<typeof createBounceStore>;
