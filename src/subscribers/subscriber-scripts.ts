import type { Result } from 'ioredis';
import type { AnyRedis } from '../redis.ts';

/**
 * Applies one change to an existing subscriber's record atomically, only if its status is one of
 * \`from\` (and the optional guard field holds the expected value), so that a change decided on a
 * stale read (an import racing an unsubscribe) can never re-activate someone who left. The
 * suppression, the per-send count and the lists are written by the store around it (other keys,
 * other hash slots on a cluster; see subscriber-store.ts).
 * KEYS: record. ARGV[1]: JSON { from, to, now, guard?, set?, del? }.
 * Returns { applied 0|1, status code before, record changed 0|1, status changed 0|1 }, or
 * { -1, '', 0, 0 } when the subscriber does not exist.
 */
const APPLY = `
local c = cjson.decode(ARGV[1])
local before = redis.call('HGET', KEYS[1], 's')
if not before then return {-1, '', 0, 0} end
if c.from ~= '' and not string.find(c.from, before, 1, true) then return {0, before, 0, 0} end
if c.guard and redis.call('HGET', KEYS[1], c.guard[1]) ~= c.guard[2] then return {0, before, 0, 0} end
local changed, moved = false, false
if c.to ~= '' and c.to ~= before then
  redis.call('HSET', KEYS[1], 's', c.to)
  changed, moved = true, true
end
if c.set then
  for field, value in pairs(c.set) do redis.call('HSET', KEYS[1], field, value); changed = true end
end
if c.del then
  for _, field in ipairs(c.del) do
    if redis.call('HDEL', KEYS[1], field) == 1 then changed = true end
  end
end
if changed then redis.call('HSET', KEYS[1], 'u', c.now) end
return {1, before, changed and 1 or 0, moved and 1 or 0}
`;

/**
 * Finds the first member at or after byte ARGV[1] of a list bitmap and returns that byte's offset
 * with ARGV[2] bytes from there, so that a page of a dense list costs one round trip.
 * KEYS: list bitmap. Returns { byte offset, bytes } or { -1, '' } past the last member.
 */
const PAGE = `
local pos = redis.call('BITPOS', KEYS[1], 1, ARGV[1])
if pos < 0 then return {-1, ''} end
local from = math.floor(pos / 8)
return {from, redis.call('GETRANGE', KEYS[1], from, from + tonumber(ARGV[2]) - 1)}
`;

/** A change for `gzApply`; status values are one-letter codes (see subscriber-record.ts). */
export interface Change {
  /** Status codes the change applies to; '' for any. */
  from: string;
  /** New status code; '' keeps the status. */
  to: string;
  now: number;
  guard?: [field: string, value: string];
  set?: Record<string, string>;
  del?: string[];
  suppress?: [key: string, value: string];
  unsuppress?: string;
  countSend?: string;
}

/**
 * Renames a list in one step: the name in the set of lists and its member bitmap (absent while the
 * list has no members) move together, so no send or import sees half a rename.
 * KEYS: the set of list names, the old bitmap, the new bitmap. ARGV: old name, new name.
 * Returns 1 (renamed), 0 (no list of the old name), -1 (the new name is taken).
 */
const RENAME_LIST = `
if redis.call('SISMEMBER', KEYS[1], ARGV[2]) == 1 then return -1 end
if redis.call('SREM', KEYS[1], ARGV[1]) == 0 then return 0 end
redis.call('SADD', KEYS[1], ARGV[2])
if redis.call('EXISTS', KEYS[2]) == 1 then redis.call('RENAME', KEYS[2], KEYS[3]) end
return 1
`;

declare module 'ioredis' {
  interface RedisCommander<Context> {
    gzApply(
      numKeys: number,
      ...keysAndArgs: (string | number)[]
    ): Result<[number, string, number, number], Context>;
    gzPageBuffer(numKeys: number, ...keysAndArgs: (string | number)[]): Result<[number, Buffer], Context>;
    gzRenameList(numKeys: number, ...keysAndArgs: string[]): Result<number, Context>;
  }
}

/** Registers the store's Lua scripts on a connection (ioredis caches them and uses EVALSHA). */
export function defineScripts(redis: AnyRedis): void {
  redis.defineCommand('gzApply', { lua: APPLY });
  redis.defineCommand('gzPage', { lua: PAGE });
  redis.defineCommand('gzRenameList', { lua: RENAME_LIST });
}
