import type { Locale } from '../issue/schema.ts';
import { batch, type StoreDeps } from '../redis.ts';
import { createConsentRecords } from './consent-records.ts';
import { emailKey } from './email.ts';
import { createImportScratch } from './files/import-scratch.ts';
import { idsFromBitmap } from './list-bitmap.ts';
import { subscriberKeys } from './subscriber-keys.ts';
import {
  decodeRecord,
  FIELDS,
  newRecord,
  packDeparture,
  statusCode,
  statusFromCode,
  suppressionValue,
  toSeconds,
} from './subscriber-record.ts';
import type { Subscriber, SubscriberStatus } from './subscriber-schema.ts';
import { type Change, defineScripts } from './subscriber-scripts.ts';
import { createSuppressionList } from './suppression-list.ts';

/** What the store needs: a connection, the key prefix (config.REDIS_PREFIX) and a clock (epoch ms). */
export type SubscriberStoreDeps = StoreDeps;

/** A subscriber to create; `consent`, `left` and `pending` are packed records (subscriber-record.ts). */
export interface NewSubscriber {
  email: string;
  name: string;
  locale: Locale;
  status: SubscriberStatus;
  lists: readonly string[];
  consent?: string;
  left?: string;
  pending?: string;
}

/** A change to one existing subscriber, applied atomically (subscriber-scripts.ts). */
export interface SubscriberChange {
  id: number;
  change: Omit<Change, 'now'>;
  lists?: readonly string[];
}

/** How a subscriber left: `via` (one-click, page, mailto, cli, desk, bounce, complaint), who (IP, user), which send, and why in a person's words. */
export interface LeaveInfo {
  via: string;
  by: string;
  sendId?: string;
  reason?: string;
}

export type LeaveOutcome = 'changed' | 'already' | 'unknown';

/**
 * The subscriber store on Redis: records, the e-mail index, list bitmaps and the global suppression
 * list. Every batch method costs one round trip (a pipeline) whatever the number of ids.
 */
export function createSubscriberStore({ redis, prefix, clock = Date.now }: SubscriberStoreDeps) {
  defineScripts(redis);
  const keys = subscriberKeys(prefix);
  const suppressionList = createSuppressionList(redis, keys, clock);

  /** Subscribers for `ids`, in the same order; null where there is none. One round trip. */
  async function getMany(ids: readonly number[]): Promise<(Subscriber | null)[]> {
    if (ids.length === 0) return [];
    const pipeline = batch(redis);
    for (const id of ids) pipeline.hmget(keys.record(id), ...FIELDS);
    const replies = (await pipeline.exec()) ?? [];
    return ids.map((id, i) => {
      const [err, values] = replies[i] ?? [];
      if (err) throw err;
      return decodeRecord(id, values as (string | null)[]);
    });
  }

  /** Ids for normalised addresses, in the same order; null where there is none. One round trip. */
  async function findIds(emails: readonly string[]): Promise<(number | null)[]> {
    if (emails.length === 0) return [];
    const pipeline = batch(redis);
    for (const email of emails) pipeline.hget(keys.emailBucket(emailKey(email)), emailKey(email));
    const replies = (await pipeline.exec()) ?? [];
    return replies.map(([err, id]) => {
      if (err) throw err;
      return id === null ? null : Number(id);
    });
  }

  async function findByEmail(email: string): Promise<Subscriber | null> {
    const [id] = await findIds([email]);
    return id ? ((await getMany([id]))[0] ?? null) : null;
  }

  /**
   * Up to `count` member ids of `list` above `afterId`, ascending; empty when the list is done.
   * Members are returned whatever their status: the sender checks status and suppression.
   */
  async function pageList(list: string, afterId: number, count: number): Promise<number[]> {
    const ids: number[] = [];
    const span = Math.max(64, Math.ceil(count / 8) * 4);
    let byte = Math.floor((afterId + 1) / 8);
    while (ids.length < count) {
      const [from, slice] = await redis.gzPageBuffer(1, keys.list(list), byte, span);
      if (from < 0) break;
      ids.push(...idsFromBitmap(slice, from, ids.at(-1) ?? afterId, count - ids.length));
      if (slice.length < span) break;
      byte = from + span;
    }
    return ids;
  }

  /** Up to `count` subscribers with ids above `afterId`, in id order, whatever their lists. */
  async function pageAll(afterId: number, count: number): Promise<Subscriber[]> {
    const last = Number((await redis.get(keys.seq)) ?? 0);
    const found: Subscriber[] = [];
    for (let next = afterId + 1; next <= last && found.length < count; next += count) {
      const ids = Array.from({ length: Math.min(count, last - next + 1) }, (_, i) => next + i);
      for (const s of await getMany(ids)) if (s && found.length < count) found.push(s);
    }
    return found;
  }

  /** The lists each of `ids` is on, in the same order. */
  async function listsOf(ids: readonly number[]): Promise<string[][]> {
    const names = (await redis.smembers(keys.lists)).sort();
    if (ids.length === 0 || names.length === 0) return ids.map(() => []);
    const pipeline = batch(redis);
    for (const id of ids) for (const name of names) pipeline.getbit(keys.list(name), id);
    const replies = (await pipeline.exec()) ?? [];
    return ids.map((_, i) => names.filter((_, j) => replies[i * names.length + j]?.[1] === 1));
  }

  /** For each `{ id, lists }`, whether the subscriber is already on every one of `lists`. One round trip. */
  async function onAllLists(
    entries: readonly { id: number; lists: readonly string[] }[],
  ): Promise<boolean[]> {
    const pipeline = batch(redis);
    for (const { id, lists } of entries) for (const list of lists) pipeline.getbit(keys.list(list), id);
    const replies = entries.length > 0 ? ((await pipeline.exec()) ?? []) : [];
    let k = 0;
    return entries.map(({ lists }) => lists.map(() => replies[k++]?.[1] === 1).every(Boolean));
  }

  /**
   * Creates subscribers, under `ids` when given (from reserveId) or fresh ones; for each row returns
   * `{ id, created }`: `created` is false (and nothing is left written) when the address already
   * belongs to `id`, e.g. when another request created it meanwhile.
   * Three steps, each one round trip (per node on a cluster, where the record, the e-mail's index
   * bucket and the list bitmaps are in different hash slots), ordered so that a crash between two
   * never leaves an address that points nowhere: 1. the records under their new ids (nothing points
   * at them yet: an id from INCRBY or reserveId has never had a record); 2. the claims of the addresses in the e-mail index (HSETNX: the first claim wins);
   * 3. the winners join their lists, the losers' records are removed. A crash after 1 leaves records
   * no address points at, on no list (never mailed); after 2, subscribers on no list yet, whom the
   * next import of the file puts on them.
   */
  async function createMany(
    rows: readonly NewSubscriber[],
    ids?: readonly number[],
  ): Promise<{ id: number; created: boolean }[]> {
    if (rows.length === 0) return [];
    const first = ids ? 0 : (await redis.incrby(keys.seq, rows.length)) - rows.length + 1;
    const idOf = (i: number) => ids?.[i] ?? first + i;
    const now = clock();
    const lists = [...new Set(rows.flatMap((r) => r.lists))];
    const records = batch(redis);
    if (lists.length > 0) records.sadd(keys.lists, ...lists);
    // Plain loops, no closures, no script per row (a script run costs more than the row): these run
    // once per imported row.
    for (let i = 0; i < rows.length; i++) {
      records.hset(keys.record(idOf(i)), newRecord({ ...(rows[i] as NewSubscriber), now }));
    }
    replies(await records.exec());
    const claims = batch(redis);
    for (let i = 0; i < rows.length; i++) {
      const key = emailKey((rows[i] as NewSubscriber).email);
      claims.hsetnx(keys.emailBucket(key), key, idOf(i));
    }
    const claimed = replies(await claims.exec());
    const after = batch(redis);
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i] as NewSubscriber;
      if (claimed[i] === 1) {
        for (const list of row.lists) after.setbit(keys.list(list), idOf(i), 1);
      } else {
        const key = emailKey(row.email);
        after.hget(keys.emailBucket(key), key);
        after.unlink(keys.record(idOf(i)));
      }
    }
    const answers = after.length > 0 ? replies(await after.exec()) : [];
    const holder = new Map<number, number>();
    let k = 0;
    for (let i = 0; i < rows.length; i++) {
      if (claimed[i] === 1) k += (rows[i] as NewSubscriber).lists.length;
      else {
        holder.set(i, Number(answers[k]));
        k += 2;
      }
    }
    return rows.map((_, i) =>
      claimed[i] === 1 ? { id: idOf(i), created: true } : { id: holder.get(i) as number, created: false },
    );
  }

  /**
   * Applies changes, one per subscriber; see subscriber-scripts.ts for what each result means. The
   * record's part (status, fields) is one atomic script; the address's suppression is written with
   * it, whatever the status (an opt-out is never lost); the lists, the un-suppression and the
   * per-send unsubscribe count follow once the change applied (one more round trip, only when a
   * change has any of them).
   */
  async function applyMany(
    changes: readonly SubscriberChange[],
  ): Promise<{ applied: boolean; before: SubscriberStatus | null; changed: boolean }[]> {
    if (changes.length === 0) return [];
    const now = String(toSeconds(clock()));
    const first = batch(redis);
    const lists = new Set(changes.flatMap((c) => c.lists ?? []));
    if (lists.size > 0) first.sadd(keys.lists, ...lists);
    for (const { id, change } of changes) {
      if (change.suppress) first.hsetnx(keys.suppressed, ...change.suppress);
      first.gzApply(1, keys.record(id), JSON.stringify({ ...change, now }));
    }
    const results = replies(await first.exec())
      .slice(lists.size > 0 ? 1 : 0)
      .filter((_, i, all) => Array.isArray(all[i]));
    const then = batch(redis);
    const joined: number[][] = [];
    changes.forEach(({ id, change, lists = [] }, i) => {
      const [applied, , , moved] = results[i] as [number, string, number, number];
      joined.push([]);
      if (applied !== 1) return;
      if (change.unsuppress) then.hdel(keys.suppressed, change.unsuppress);
      if (moved === 1 && change.countSend) then.hincrby(keys.unsubscribesBySend, change.countSend, 1);
      for (const list of lists) {
        (joined[i] as number[]).push(then.length);
        then.setbit(keys.list(list), id, 1);
      }
    });
    const bits = then.length > 0 ? replies(await then.exec()) : [];
    const touched = batch(redis);
    const outcomes = changes.map(({ id }, i) => {
      const [applied, before, changed] = results[i] as [number, string, number, number];
      const joinedNow = (joined[i] as number[]).some((at) => bits[at] === 0);
      // A change that only put the subscriber on a list still moves the record's update time.
      if (joinedNow && changed !== 1) touched.hset(keys.record(id), 'u', now);
      return {
        applied: applied === 1,
        before: applied < 0 ? null : statusFromCode(before),
        changed: changed === 1 || joinedNow,
      };
    });
    if (touched.length > 0) replies(await touched.exec());
    return outcomes;
  }

  /**
   * Members of `list` whose status is `active`, read a page of ids at a time (one pipeline of
   * status reads a page), so a large list never holds Redis in one long command.
   */
  async function countActive(list: string): Promise<number> {
    let active = 0;
    let after = 0;
    for (;;) {
      const ids = await pageList(list, after, 1000);
      if (ids.length === 0) return active;
      after = ids.at(-1) as number;
      const pipeline = batch(redis);
      for (const id of ids) pipeline.hget(keys.record(id), 's');
      for (const [err, code] of (await pipeline.exec()) ?? []) {
        if (err) throw err;
        if (code === 'a') active++;
      }
    }
  }

  /** Takes a subscriber off `lists` (their record is untouched); harmless to repeat. */
  async function leaveLists(id: number, lists: readonly string[]): Promise<void> {
    if (lists.length === 0) return;
    const pipeline = batch(redis);
    for (const list of lists) pipeline.setbit(keys.list(list), id, 0);
    await pipeline.exec();
  }

  /** Moves a subscriber to a status that means they left, suppressing the address (repeat-safe). */
  async function leave(
    id: number,
    to: SubscriberStatus,
    from: string,
    info: LeaveInfo,
  ): Promise<LeaveOutcome> {
    const [subscriber] = await getMany([id]);
    if (!subscriber) return 'unknown';
    const sendId = info.sendId ?? '0';
    const [result] = await applyMany([
      {
        id,
        change: {
          from,
          to: statusCode(to),
          set: { x: packDeparture({ ...info, sendId, at: clock() }) },
          del: ['q'],
          suppress: [emailKey(subscriber.email), suppressionValue(to, clock())],
          ...(to === 'unsubscribed' && sendId !== '0' ? { countSend: sendId } : {}),
        },
      },
    ]);
    return result?.applied ? 'changed' : 'already';
  }

  return {
    keys,
    clock,
    getMany,
    findIds,
    findByEmail,
    pageList,
    pageAll,
    listsOf,
    onAllLists,
    countActive,
    leaveLists,
    createMany,
    applyMany,
    ...suppressionList,
    ...createConsentRecords(redis, keys),
    ...createImportScratch(redis, keys),
    /** Hands out a subscriber id without writing a record (for a link that must name it first). */
    reserveId: (): Promise<number> => redis.incr(keys.seq),
    /** Fetches one subscriber; null when there is none. */
    get: async (id: number): Promise<Subscriber | null> => (await getMany([id]))[0] ?? null,
    /** Number of members of a list (any status). */
    listSize: (list: string): Promise<number> => redis.bitcount(keys.list(list)),
    /** Adds a list with no members yet; false when the name is taken. */
    addList: async (name: string): Promise<boolean> => (await redis.sadd(keys.lists, name)) === 1,
    /** Renames a list with its members; 'taken' when a list has the new name, 'unknown' without the old. */
    renameList: async (from: string, to: string): Promise<'renamed' | 'taken' | 'unknown'> => {
      const r = await redis.gzRenameList(3, keys.lists, keys.list(from), keys.list(to), from, to);
      return r === 1 ? 'renamed' : r === -1 ? 'taken' : 'unknown';
    },
    /** Names of every list used so far, sorted. */
    listNames: async (): Promise<string[]> => (await redis.smembers(keys.lists)).sort(),
    /** Number of subscribers who unsubscribed from the mail of one send. */
    unsubscribesForSend: async (sendId: string): Promise<number> =>
      Number((await redis.hget(keys.unsubscribesBySend, sendId)) ?? 0),
    /** Unsubscribes: records how and when, suppresses the address. Repeating it changes nothing. */
    unsubscribe: (id: number, info: LeaveInfo) => leave(id, 'unsubscribed', 'pa', info),
    /** Records a hard bounce: status `bounced`, address suppressed (an unsubscribed person stays so). */
    markBounced: (id: number, info: LeaveInfo) => leave(id, 'bounced', 'pa', info),
    /** Records a spam complaint: status `complained`, address suppressed. */
    markComplained: (id: number, info: LeaveInfo) => leave(id, 'complained', 'paub', info),
  };
}

/** The replies of a batch, in order; throws the first error. */
function replies(answers: [Error | null, unknown][] | null): unknown[] {
  return (answers ?? []).map(([err, reply]) => {
    if (err) throw err;
    return reply;
  });
}

/** The subscriber store's interface (see createSubscriberStore). */
export type SubscriberStore = ReturnType<typeof createSubscriberStore>;
