import type { BounceStore } from '../../bounces/bounce-store.ts';
import { CompiledIssue } from '../../compose/compiled.ts';
import type { Locale } from '../../issue/schema.ts';
import { batch, redisKey, type StoreDeps } from '../../redis.ts';
import { sendKeys } from './send-keys.ts';
import { sendOutcomes } from './send-outcomes.ts';
import { defineSendScripts } from './send-scripts.ts';

// The keys and the record's types live apart so that the outcome side (send-outcomes.ts) needs nothing from this file.
export { passKeys, sendKeys } from './send-keys.ts';

import type { SendCounts, SendRecord } from './send-record.ts';
import type { SendState } from './send-state.ts';

export type { Outcome, SendCounts, SendRecord, Settlement } from './send-record.ts';
export { SEND_STATES, type SendState } from './send-state.ts';

function num(value: string | undefined): number | null {
  return value === undefined || value === '' ? null : Number(value);
}

function decodeRecord(h: Record<string, string>): SendRecord | null {
  if (!h.id || !h.state) return null;
  return {
    id: h.id,
    list: h.list ?? '',
    issue: Number(h.issue),
    subject: h.subject ?? '',
    from: h.from ?? '',
    state: h.state as SendState,
    at: Number(h.at),
    createdAt: Number(h.createdAt),
    startedAt: num(h.startedAt),
    doneAt: num(h.doneAt),
    lastAt: num(h.lastAt),
    fanoutDone: h.fanoutDone === '1',
    cursor: Number(h.cursor ?? 0),
    expected: Number(h.expected ?? 0),
    testTo: h.testTo ?? null,
    reason: h.reason ?? null,
    pass: Number(h.pass ?? 1),
    ...(h.editions ? { editions: h.editions.split(',') as Locale[] } : {}),
  };
}

/**
 * The sends on Redis: records, compiled issues, counters, the settled bitmap and state changes.
 * State changes and outcome recording are single scripts, so concurrent workers and commands agree.
 */
export function createSendStore({
  redis,
  prefix,
  clock = Date.now,
  bounces,
}: StoreDeps & {
  /** Where bounces keep their per-send counts (issue 9): a send's figures count them as bounced. */
  bounces: Pick<BounceStore, 'sendCounts'>;
}) {
  defineSendScripts(redis);
  const index = redisKey(prefix, 'sends');
  const keysOf = (id: string) => sendKeys(prefix, id);
  const get = async (id: string) => decodeRecord(await redis.hgetall(keysOf(id).meta));

  return {
    keysOf,
    ...sendOutcomes({ redis, prefix, clock, get }),
    /**
     * Stores a new send with its compiled editions (the default first, the order of
     * `record.editions`), then adds it to the index.
     */
    async create(record: SendRecord, compiled: CompiledIssue | readonly CompiledIssue[]): Promise<void> {
      const k = keysOf(record.id);
      const [first, ...others] = Array.isArray(compiled) ? compiled : [compiled as CompiledIssue];
      const fields = Object.entries(record).filter(([, v]) => v !== null && v !== undefined);
      const multi = redis
        .multi()
        .hset(
          k.meta,
          Object.fromEntries(
            fields.map(([f, v]) => [f, typeof v === 'boolean' ? (v ? '1' : '0') : String(v)]),
          ),
        )
        .set(k.compiled, JSON.stringify(first));
      for (const edition of others) multi.set(k.compiledOf(edition.locale), JSON.stringify(edition));
      await multi.exec();
      // The index is in another hash slot on a cluster: added after the send exists, it never names a send that does not.
      await redis.zadd(index, record.createdAt, record.id);
    },
    /**
     * Takes the right to schedule `issue` to `list` for at most `ms` (one scheduler at a time, so that
     * two sends started together cannot both pass the already-sent check); resolves with its release,
     * or null while someone else holds it.
     */
    async claimSchedule(issue: number, list: string, ms = 30_000): Promise<(() => Promise<void>) | null> {
      const key = redisKey(prefix, 'schedule-claim', String(issue), list);
      const token = `${process.pid}-${Math.random().toString(36).slice(2)}`;
      if ((await redis.set(key, token, 'PX', ms, 'NX')) !== 'OK') return null;
      return async () => {
        if ((await redis.get(key)) === token) await redis.del(key);
      };
    },
    /** The send's record; null when there is no such send. */
    get(id: string): Promise<SendRecord | null> {
      return get(id);
    },
    /**
     * An edition as compiled when the send was created: `locale`'s, or the default edition's when
     * `locale` is omitted. Throws if the send has no such edition or it is damaged.
     */
    async compiled(id: string, locale?: Locale): Promise<CompiledIssue> {
      const k = keysOf(id);
      const [other, base] = await redis.mget(locale ? k.compiledOf(locale) : k.compiled, k.compiled);
      const json = other ?? base;
      if (json == null) throw new Error(`send ${id} has no compiled issue`);
      const compiled = CompiledIssue.parse(JSON.parse(json));
      if (locale && compiled.locale !== locale) throw new Error(`send ${id} has no ${locale} edition`);
      return compiled;
    },
    /**
     * The place in the send's editions (0 the default) of the edition a reader was sent, as the
     * settle script kept it; 0 for a reader not settled yet and in a send of one edition.
     */
    async readerEdition(id: string, subscriberId: number): Promise<number> {
      const [field] = (await redis.call(
        'BITFIELD_RO',
        keysOf(id).edition,
        'GET',
        'u4',
        `#${subscriberId}`,
      )) as number[];
      return Math.max(0, (field ?? 0) - 1);
    },
    /** The current state alone (cheap enough to poll); null when there is no such send. */
    async state(id: string): Promise<SendState | null> {
      return (await redis.hget(keysOf(id).meta, 'state')) as SendState | null;
    },
    /** Every send of issue `issue`, newest first (one pipeline over the index of sends). */
    async ofIssue(issue: number): Promise<SendRecord[]> {
      const ids = await redis.zrevrange(index, 0, -1);
      if (ids.length === 0) return [];
      const pipeline = batch(redis);
      for (const id of ids) pipeline.hget(keysOf(id).meta, 'issue');
      const issues = ((await pipeline.exec()) ?? []).map(([, v]) => Number(v));
      const mine = ids.filter((_, i) => issues[i] === issue);
      const records = await Promise.all(mine.map((id) => this.get(id)));
      return records.filter((r): r is SendRecord => r !== null);
    },
    /** Ids of the sends created at or before `at` (ms), newest first, skipping the first `offset`. */
    async idsUpTo(at: number, offset: number, limit: number): Promise<string[]> {
      return redis.zrevrangebyscore(index, at, '-inf', 'LIMIT', offset, limit);
    },
    /** Send ids, newest first. */
    async ids(limit = 20): Promise<string[]> {
      return redis.zrevrange(index, 0, limit - 1);
    },
    async counts(id: string): Promise<SendCounts> {
      const [c, b] = await Promise.all([redis.hgetall(keysOf(id).counts), bounces.sendCounts(id)]);
      const n = (f: string) => Number(c[f] ?? 0);
      return {
        total: n('total'),
        delivered: n('delivered'),
        failed: n('failed'),
        skipped: n('skipped'),
        bounced: b.hard + b.soft,
      };
    },
    /** Moves the send to `to` if it is in one of `from`; says whether it did and what it was before. */
    async transition(
      id: string,
      to: SendState,
      from: readonly SendState[],
    ): Promise<{ changed: boolean; before: SendState | null }> {
      const [changed, before] = await redis.gzSendTransition(keysOf(id).meta, to, clock(), ...from);
      return { changed: changed === 1, before: (before || null) as SendState | null };
    },
    /** Notes that the fan-out began; returns the state after (a scheduled send becomes `sending`). */
    async start(id: string): Promise<SendState | null> {
      return ((await redis.gzSendStart(keysOf(id).meta, clock())) || null) as SendState | null;
    },
    /** Saves the fan-out's cursor and the number of recipients it just queued, together. */
    async advance(id: string, cursor: number, queued: number): Promise<void> {
      const k = keysOf(id);
      await redis.multi().hset(k.meta, 'cursor', cursor).hincrby(k.counts, 'total', queued).exec();
    },
    /** Marks the fan-out complete (the send can finish once everything is settled). */
    async fanoutDone(id: string): Promise<void> {
      await redis.hset(keysOf(id).meta, 'fanoutDone', '1');
    },
    /** Finishes a `sending` send whose every queued recipient has an outcome; true if this call did. */
    async finishIfComplete(id: string): Promise<boolean> {
      const k = keysOf(id);
      return (await redis.gzSendFinish(k.meta, k.counts, clock())) === 1;
    },
    /** Remembers a delivery job parked while the send is paused. */
    async park(id: string, jobId: string): Promise<void> {
      await redis.sadd(keysOf(id).parked, jobId);
    },
    /** Notes (or, with null, clears) why the system paused the send. */
    /** Records a new due time of a scheduled send (its fan-out job's delay is moved by the caller). */
    async setAt(id: string, at: number): Promise<void> {
      await redis.hset(keysOf(id).meta, 'at', String(at));
    },
    async setReason(id: string, reason: string | null): Promise<void> {
      if (reason === null) await redis.hdel(keysOf(id).meta, 'reason');
      else await redis.hset(keysOf(id).meta, 'reason', reason);
    },
    /** Takes (and forgets) the ids of every parked delivery job. */
    async takeParked(id: string): Promise<string[]> {
      const k = keysOf(id).parked;
      const [[, ids]] = (await redis.multi().smembers(k).del(k).exec()) as [[Error | null, string[]]];
      return ids;
    },
  };
}

/** The send store's interface (see createSendStore). */
export type SendStore = ReturnType<typeof createSendStore>;
