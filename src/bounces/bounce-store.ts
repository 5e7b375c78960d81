import { createHash } from 'node:crypto';
import type { ChainableCommander } from 'ioredis';
import { type AnyRedis, batch, redisKey, taggedKey } from '../redis.ts';
import { emailKey } from '../subscribers/email.ts';
import { ADDRESS_CAP, defineBounceScripts } from './bounce-scripts.ts';
import type { BounceReason } from './classify/result.ts';
import { type BounceEvent, decodeEvent, eventFields, type NewBounceEvent } from './event.ts';

/** Events kept in the global stream (`gazette bounces list`) and in the review stream; older ones are trimmed. */
const EVENTS_CAP = 100_000;
const DAY_MS = 24 * 3600 * 1000;
/** Days the sends that soft-bounced for an address are remembered. */
const SOFT_SENDS_DAYS = 400;
/** The script's return value carries "suppress" as this offset on top of the soft count. */
const SUPPRESS_FLAG = 1_000_000;

/** A short, fixed-length name for an address in key names (addresses may hold `{`, `:` and the like). */
function addressId(email: string): string {
  return createHash('sha256').update(emailKey(email)).digest('hex').slice(0, 24);
}

/** Every Redis key of the bounce records, under `<prefix>:bounces:` (BullMQ's queue is `<prefix>:bounce:`). */
function bounceKeys(prefix: string) {
  return {
    events: taggedKey(prefix, 'bounces', 'events'),
    /** Events that acted on nobody (no valid token, no authenticated channel), for an admin to review. */
    unverified: taggedKey(prefix, 'bounces', 'unverified'),
    /** Who applied which unverified event, and when (`gazette bounces apply`). */
    audit: redisKey(prefix, 'bounces', 'audit'),
    address: (email: string) => taggedKey(prefix, 'bounces', 'addr', addressId(email)),
    soft: (email: string) => taggedKey(prefix, 'bounces', 'soft', addressId(email)),
    /** The sends that soft-bounced for an address (zset, score = when), for the streak of sends. */
    softSends: (email: string) => redisKey(prefix, 'bounces', 'softsends', addressId(email)),
    seen: (identity: string) =>
      taggedKey(prefix, 'bounces', 'seen', createHash('sha256').update(identity).digest('hex').slice(0, 32)),
    /** Counts by kind and reason of one send (`kind:hard`, `reason:user_unknown`, …). */
    send: (sendId: string) => taggedKey(prefix, 'bounces', 'send', sendId),
    /** One bit per subscriber who bounced in the send (the report splits bounces by edition with it). */
    sendReaders: (sendId: string) => taggedKey(prefix, 'bounces', 'send', sendId, 'readers'),
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

/** What recording an event did: a repeat changed nothing; else the soft count and whether it suppresses. */
export type Recorded = { fresh: false } | { fresh: true; softCount: number; suppress: boolean };

/** Reads a send's counters hash (HGETALL of `bounceKeys(prefix).send(id)`) into stats. */
function decodeSendStats(h: Record<string, string>): SendBounceStats {
  const stats: SendBounceStats = { hard: 0, soft: 0, complaint: 0, reasons: {} };
  for (const [field, value] of Object.entries(h)) {
    const [what, name] = field.split(':') as [string, string];
    if (what === 'kind' && (name === 'hard' || name === 'soft' || name === 'complaint'))
      stats[name] = Number(value);
    else if (what === 'reason') stats.reasons[name as BounceReason] = Number(value);
  }
  return stats;
}

/** A send's bounce and complaint counts, by kind and by reason: one read of its counters hash. */
async function readSendBounceStats(
  redis: AnyRedis,
  prefix: string,
  sendId: string,
): Promise<SendBounceStats> {
  return decodeSendStats(await redis.hgetall(bounceKeys(prefix).send(sendId)));
}

/** One event to record: verified ones act (see policy.ts), unverified ones only wait for review. */
export interface RecordRequest {
  identity: string;
  event: NewBounceEvent;
  /** Soft count at which the event suppresses its address (0: it always does; hard bounces, complaints). */
  suppressAt: number;
}

/**
 * The bounce records on Redis: event streams (global, per address, review), soft-bounce windows,
 * per-send counts and the received messages themselves for a few days.
 */
export function createBounceStore({
  redis,
  prefix,
  rawDays,
  softDays,
  unverifiedDays = 2,
}: {
  redis: AnyRedis;
  prefix: string;
  rawDays: number;
  softDays: number;
  /** Days an unverified event (and a token-less message) is kept for review. */
  unverifiedDays?: number;
}) {
  defineBounceScripts(redis);
  const keys = bounceKeys(prefix);
  const windowMs = Math.round(softDays * DAY_MS);
  // An identity is remembered as long as anything it could be counted against.
  const seenSeconds = Math.ceil(Math.max(softDays, rawDays, 7) * 24 * 3600);
  const rawSeconds = (verified: boolean) =>
    Math.ceil((verified ? rawDays : Math.min(rawDays, unverifiedDays)) * 24 * 3600);

  async function readStream(key: string, start: string, count: number): Promise<BounceEvent[]> {
    const entries = await redis.xrange(key, start, '+', 'COUNT', count);
    return entries.map(([id, fields]) => decodeEvent(id, fields)).filter((e): e is BounceEvent => e !== null);
  }

  function queue(target: AnyRedis | ChainableCommander, r: RecordRequest, now: number) {
    const e = r.event;
    const fields = eventFields(e);
    if (!e.verified) {
      const oldest = Math.max(0, Math.floor(now - unverifiedDays * DAY_MS));
      const args = ['u', seenSeconds, now, e.kind, e.reason, EVENTS_CAP, `${oldest}-0`, windowMs];
      return target.gzBounceRecord(2, keys.seen(r.identity), keys.unverified, ...args, ...fields);
    }
    const sendKey = e.send
      ? [keys.send(e.send), ...(e.subscriber === null ? [] : [keys.sendReaders(e.send)])]
      : [];
    const allKeys = [
      keys.seen(r.identity),
      keys.events,
      keys.soft(e.email),
      keys.address(e.email),
      ...sendKey,
    ];
    const args = ['v', seenSeconds, now, e.kind, e.reason, EVENTS_CAP, r.suppressAt, windowMs];
    return target.gzBounceRecord(allKeys.length, ...allKeys, ...args, ...fields);
  }

  function decode(n: number): Recorded {
    if (n < 0) return { fresh: false };
    return { fresh: true, softCount: n % SUPPRESS_FLAG, suppress: n >= SUPPRESS_FLAG };
  }

  return {
    keys,
    /** Records one event with one script run; a repeat of its identity changes nothing. */
    async record(r: RecordRequest): Promise<Recorded> {
      return decode(Number(await queue(redis, r, r.event.at)));
    },
    /** Records many events in one round trip (a pipeline of script runs), in order. */
    async recordMany(requests: readonly RecordRequest[]): Promise<Recorded[]> {
      if (requests.length === 0) return [];
      const pipeline = batch(redis);
      for (const r of requests) queue(pipeline, r, r.event.at);
      const replies = (await pipeline.exec()) ?? [];
      return replies.map(([err, n]) => {
        if (err) throw err;
        return decode(Number(n));
      });
    },
    /** Events recorded at or after `since` (ms), oldest first, at most `limit`. */
    list: (since: number, limit = 1000): Promise<BounceEvent[]> =>
      readStream(keys.events, String(Math.max(0, Math.floor(since))), limit),
    /** Unverified events recorded at or after `since` (ms), oldest first, at most `limit`. */
    listUnverified: (since: number, limit = 1000): Promise<BounceEvent[]> =>
      readStream(keys.unverified, String(Math.max(0, Math.floor(since))), limit),
    /** One unverified event by its id, or null (never recorded, or trimmed by age). */
    async unverified(id: string): Promise<BounceEvent | null> {
      if (!/^\d{1,15}-\d{1,10}$/.test(id)) return null;
      return (await readStream(keys.unverified, id, 1)).find((e) => e.id === id) ?? null;
    },
    /** Appends an audit entry (who did what to which event). */
    async audit(entry: { at: number; by: string; action: string; target: string; detail: string }) {
      await redis.xadd(
        keys.audit,
        'MAXLEN',
        '~',
        EVENTS_CAP,
        '*',
        ...Object.entries(entry).flat().map(String),
      );
    },
    /** One address's events, oldest first (the last ADDRESS_CAP). */
    forAddress: (email: string): Promise<BounceEvent[]> => readStream(keys.address(email), '-', ADDRESS_CAP),
    /** Soft bounces of an address within the window ending `now`. */
    async softCount(email: string, now: number): Promise<number> {
      return redis.zcount(keys.soft(email), now - windowMs, '+inf');
    },
    /** Notes that send `sendId` soft-bounced for `email` (kept a year: a monthly streak spans months). */
    async noteSoftSend(email: string, sendId: string, now: number): Promise<void> {
      const key = keys.softSends(email);
      await redis
        .multi()
        .zadd(key, now, sendId)
        .zremrangebyscore(key, '-inf', `(${now - SOFT_SENDS_DAYS * DAY_MS}`)
        .pexpire(key, SOFT_SENDS_DAYS * DAY_MS)
        .exec();
    },
    /** The sends that soft-bounced for `email` within the last year. */
    async softSends(email: string): Promise<Set<string>> {
      return new Set(await redis.zrange(keys.softSends(email), 0, -1));
    },
    /** A send's bounce counts by kind and reason. */
    sendStats: (sendId: string): Promise<SendBounceStats> => readSendBounceStats(redis, prefix, sendId),
    /** A send's hard and soft bounces so far (its sent figures count them as bounced); 0 and 0 for an unknown send. */
    /** One bit per subscriber who bounced in the send (hard or soft), as stored. */
    sendReaders: (sendId: string): Promise<Buffer | null> => redis.getBuffer(keys.sendReaders(sendId)),
    async sendCounts(sendId: string): Promise<{ hard: number; soft: number }> {
      const [hard, soft] = await redis.hmget(keys.send(sendId), 'kind:hard', 'kind:soft');
      return { hard: Number(hard ?? 0), soft: Number(soft ?? 0) };
    },
    /**
     * Keeps a received message under its SHA-256 (the same bytes give the same hash): BOUNCE_RAW_DAYS
     * when a valid token vouches for it, else only as long as an unverified event is kept.
     */
    async saveRaw(raw: Buffer, verified = true): Promise<string> {
      const hash = createHash('sha256').update(raw).digest('hex');
      await redis.set(keys.raw(hash), raw, 'EX', rawSeconds(verified));
      return hash;
    },
    /** A kept message, or null once it has expired. */
    raw: (hash: string): Promise<Buffer | null> => redis.getBuffer(keys.raw(hash)),
    /** Forgets a kept message (one that turned out to be no bounce). */
    async dropRaw(hash: string): Promise<void> {
      await redis.del(keys.raw(hash));
    },
  };
}

/** The bounce store's interface (see createBounceStore). */
export type BounceStore = ReturnType<typeof createBounceStore>;
