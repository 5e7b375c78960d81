import { TRAP_LINK } from '../compose/compiled.ts';
import type { AnyRedis } from '../redis.ts';
import { batch, type StoreDeps, taggedKey } from '../redis.ts';
import type { ClickKind } from './machine-rules.ts';

/** Clicks from one reader on one link within this many seconds count once (double clicks, link scanners' retries). */
export const CLICK_DEDUPE_SECONDS = 5;

/**
 * The timing rules that tell a link scanner from a person (docs: DESIGN "Figures count people").
 * A scanner follows every link of a message within seconds of delivery, the hidden trap link too; a
 * person opens the mail later and clicks one link, then perhaps another after reading.
 */
export const MACHINE_TIMING = {
  /** A reader's clicks this close to a hit on the hidden trap link are the scanner's that hit it. */
  trapMs: 10_000,
  /** Clicks by one reader on two different links this close together are a machine's (a burst). */
  burstMs: 2_000,
  /** A click this long after delivery (the token's render time) is never judged by the burst rule. */
  personAfterMs: 20_000,
  /** How long a reader's recent clicks are kept for the rules above to look back on (and reclassify). */
  recentSeconds: 120,
} as const;

/**
 * Records one click atomically and judges whether a person made it. Returns `person`, `machine`, or
 * `repeat` when the reader made the same kind of request for the same link in the last few seconds
 * (a scanner's HEAD does not take the place of the GET that follows it). A trap hit (kind `t`, counted
 * in `machine` under the trap's id, which forSend leaves out) marks the reader's person clicks within
 * trapMs as machine ones, late or not: no person reaches that link, so whoever did is the reader's
 * scanner, at whatever hour it scans; a click on another link within burstMs of one the reader made
 * a moment ago marks both as machine ones, unless it is a late click (ARGV[6], personAfterMs after
 * delivery). Marking a counted click as a machine's moves it from the person counters to `machine`: the
 * link's reader bit is cleared only when the reader has no person click left on that link (the `people`
 * hash counts them, per `<reader>:<link>` and per `<reader>`), the send's when they have none at all.
 * Unique counts are bitmaps indexed by subscriber id: exact, one bit a reader.
 * KEYS: 1 person totals hash, 2 link readers bitmap, 3 send readers bitmap, 4 per-minute timeline hash
 * (person clicks), 5 machine totals hash, 6 the reader's recent clicks list, 7 person counts hash.
 * ARGV: 1 link id, 2 subscriber id, 3 now (ms), 4 dedupe seconds, 5 kind (c click, m machine, t trap),
 * 6 late (1 or 0), 7 trapMs, 8 burstMs, 9 recent seconds, 10 the key prefix of links' reader bitmaps
 * (a demoted click's link is known only here; every key of the script is under the send's prefix).
 */
const RECORD = `
local link, sub, now, kind = ARGV[1], ARGV[2], tonumber(ARGV[3]), ARGV[5]
local trapMs, burstMs, keep = tonumber(ARGV[7]), tonumber(ARGV[8]), tonumber(ARGV[9]) * 1000
local recent = {}
for _, e in ipairs(redis.call('LRANGE', KEYS[6], 0, -1)) do
  local at, l, state, minute, late, k = string.match(e, '^(%d+)|([^|]+)|(%a)|(%d+)|(%d)|(%a)$')
  if at and now - tonumber(at) <= keep then
    local entry = { at = tonumber(at), link = l, state = state, minute = minute, late = late, kind = k }
    if l == link and k == kind and now - entry.at < tonumber(ARGV[4]) * 1000 then return 'repeat' end
    table.insert(recent, entry)
  end
end
local function demote(e)
  e.state = 'm'
  redis.call('HINCRBY', KEYS[1], e.link, -1)
  redis.call('HINCRBY', KEYS[4], e.minute, -1)
  redis.call('HINCRBY', KEYS[5], e.link, 1)
  if redis.call('HINCRBY', KEYS[7], sub .. ':' .. e.link, -1) <= 0 then
    redis.call('HDEL', KEYS[7], sub .. ':' .. e.link)
    redis.call('SETBIT', ARGV[10] .. e.link, sub, 0)
  end
  if redis.call('HINCRBY', KEYS[7], sub, -1) <= 0 then
    redis.call('HDEL', KEYS[7], sub)
    redis.call('SETBIT', KEYS[3], sub, 0)
  end
end
local minute = tostring(math.floor(now / 60000))
local state = 'p'
if kind == 't' then
  state = 't'
  for _, e in ipairs(recent) do
    if e.state == 'p' and math.abs(now - e.at) <= trapMs then demote(e) end
  end
elseif kind == 'm' then
  state = 'm'
else
  for _, e in ipairs(recent) do
    if e.state == 't' and now - e.at <= trapMs then state = 'm' end
  end
  if ARGV[6] == '0' then
    for _, e in ipairs(recent) do
      if e.state ~= 't' and e.link ~= link and now - e.at <= burstMs then
        state = 'm'
        if e.state == 'p' and e.late == '0' then demote(e) end
      end
    end
  end
end
if state == 'p' then
  redis.call('HINCRBY', KEYS[1], link, 1)
  redis.call('SETBIT', KEYS[2], sub, 1)
  redis.call('SETBIT', KEYS[3], sub, 1)
  redis.call('HINCRBY', KEYS[4], minute, 1)
  redis.call('HINCRBY', KEYS[7], sub .. ':' .. link, 1)
  redis.call('HINCRBY', KEYS[7], sub, 1)
else
  redis.call('HINCRBY', KEYS[5], link, 1)
end
redis.call('DEL', KEYS[6])
for _, e in ipairs(recent) do
  redis.call('RPUSH', KEYS[6], table.concat({ e.at, e.link, e.state, e.minute, e.late, e.kind }, '|'))
end
redis.call('RPUSH', KEYS[6], table.concat({ now, link, state, minute, ARGV[6], kind }, '|'))
redis.call('LTRIM', KEYS[6], -64, -1)
redis.call('EXPIRE', KEYS[6], ARGV[9])
if state == 'p' then return 'person' end
return 'machine'
`;

/** What a click request is before timing is judged: `click` may be a person's, `machine` is one for certain, `trap` hit the hidden link. */
type RecordKind = ClickKind | 'trap';

/** How the click store judged a click. */
export type ClickVerdict = 'person' | 'machine' | 'repeat';

/** Clicks on one link of a send. */
export interface LinkClicks {
  linkId: string;
  /** People's clicks. */
  total: number;
  /** People who clicked. */
  unique: number;
  /** Machines' clicks (link scanners, prefetches), kept apart and never ranked. */
  machine: number;
}

/** Click figures of one send. */
export interface SendClicks {
  links: LinkClicks[];
  /** Readers who clicked at least one link (people only). */
  uniqueReaders: number;
  /** Clicks per minute: [unix seconds of the minute, count], oldest first. */
  timeline: [number, number][];
}

type ClickRedis = AnyRedis & {
  gazetteRecordClick(...args: (string | number)[]): Promise<ClickVerdict>;
};

/** The click counters on Redis, under `prefix`. */
export function createClickStore({ redis, prefix, clock = Date.now }: StoreDeps) {
  if (!('gazetteRecordClick' in redis))
    redis.defineCommand('gazetteRecordClick', { numberOfKeys: 7, lua: RECORD });
  const r = redis as ClickRedis;
  const key = (sendId: string, ...parts: string[]) => taggedKey(prefix, `clicks:${sendId}`, ...parts);

  return {
    /**
     * Records a click of `subscriberId` on `linkId` of `sendId` and says whose it was judged to be.
     * `renderedAt` is the token's render time (null when unknown: the burst rule then always applies).
     */
    async record(
      sendId: string,
      linkId: string,
      subscriberId: number,
      how: { kind?: RecordKind; renderedAt?: number | null } = {},
    ): Promise<ClickVerdict> {
      const now = clock();
      const kind = how.kind === 'trap' ? 't' : how.kind === 'machine' ? 'm' : 'c';
      const renderedAt = how.renderedAt ?? null;
      const late = renderedAt !== null && now - renderedAt >= MACHINE_TIMING.personAfterMs;
      return r.gazetteRecordClick(
        key(sendId, 'total'),
        key(sendId, 'readers', linkId),
        key(sendId, 'readers'),
        key(sendId, 'timeline'),
        key(sendId, 'machine'),
        key(sendId, 'reader', String(subscriberId)),
        key(sendId, 'people'),
        linkId,
        subscriberId,
        now,
        CLICK_DEDUPE_SECONDS,
        kind,
        late ? 1 : 0,
        MACHINE_TIMING.trapMs,
        MACHINE_TIMING.burstMs,
        MACHINE_TIMING.recentSeconds,
        key(sendId, 'readers', ''),
      );
    },

    /** One bit per reader who clicked any link of the send (bit n: subscriber n), as stored. */
    readersOf(sendId: string): Promise<Buffer | null> {
      return redis.getBuffer(key(sendId, 'readers'));
    },

    /** One bitmap per link of `linkIds`, in that order: the people who clicked it, as stored. */
    async linkReadersOf(sendId: string, linkIds: readonly string[]): Promise<(Buffer | null)[]> {
      if (linkIds.length === 0) return [];
      const pipeline = batch(redis);
      for (const id of linkIds) pipeline.getBuffer(key(sendId, 'readers', id));
      return ((await pipeline.exec()) ?? []).map(([, v]) => (v as Buffer | null) ?? null);
    },

    /** Every clicked link of a send with its person and machine clicks, unique readers and the per-minute timeline. */
    async forSend(sendId: string): Promise<SendClicks> {
      const [totals, machine] = await Promise.all([
        redis.hgetall(key(sendId, 'total')),
        redis.hgetall(key(sendId, 'machine')),
      ]);
      const ids = [...new Set([...Object.keys(totals), ...Object.keys(machine)])].filter(
        (id) => id !== TRAP_LINK,
      );
      const pipeline = batch(redis);
      for (const id of ids) pipeline.bitcount(key(sendId, 'readers', id));
      pipeline.bitcount(key(sendId, 'readers'));
      pipeline.hgetall(key(sendId, 'timeline'));
      const replies = (await pipeline.exec()) ?? [];
      const value = (i: number) => replies[i]?.[1];
      return {
        links: ids.map((linkId, i) => ({
          linkId,
          total: Number(totals[linkId] ?? 0),
          unique: Number(value(i)),
          machine: Number(machine[linkId] ?? 0),
        })),
        uniqueReaders: Number(value(ids.length)),
        timeline: Object.entries((value(ids.length + 1) as Record<string, string>) ?? {})
          .map(([minute, n]): [number, number] => [Number(minute) * 60, Number(n)])
          .filter(([, n]) => n > 0)
          .sort((a, b) => a[0] - b[0]),
      };
    },
  };
}
export type ClickStore = ReturnType<typeof createClickStore>;
