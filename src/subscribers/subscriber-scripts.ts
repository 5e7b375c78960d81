import type { Redis, Result } from 'ioredis';

/**
 * Creates subscribers, each atomically: unless its address is already taken (then the row's
 * result is the id that holds it and nothing is written), index entry, record and list bits are
 * written together, so a crash never leaves an address that points nowhere. One call carries a
 * whole chunk of rows, because a command per row costs the client more than the writes cost Redis.
 * KEYS: list bitmaps 1…L, then per row: e-mail bucket, record.
 * ARGV: L, then per row: e-mail key, id, list numbers ("1 3", or ""), n, then n field/value pairs.
 * Returns per row 0 (created) or the id that already holds the address.
 */
const CREATE_MANY = `
local lists = tonumber(ARGV[1])
local results = {}
local a = 2
for k = lists + 1, #KEYS, 2 do
  local email, id, joins, n = ARGV[a], ARGV[a + 1], ARGV[a + 2], tonumber(ARGV[a + 3])
  local existing = redis.call('HGET', KEYS[k], email)
  if existing then
    results[#results + 1] = tonumber(existing)
  else
    redis.call('HSET', KEYS[k], email, id)
    redis.call('HSET', KEYS[k + 1], unpack(ARGV, a + 4, a + 3 + 2 * n))
    for list in string.gmatch(joins, '%d+') do redis.call('SETBIT', KEYS[tonumber(list)], id, 1) end
    results[#results + 1] = 0
  end
  a = a + 4 + 2 * n
end
return results
`;

/**
 * Applies one change to an existing subscriber atomically, only if its status is one of
 * \`from\` (and the optional guard field holds the expected value), so that a change decided on a
 * stale read (an import racing an unsubscribe) can never re-activate someone who left.
 * KEYS: record, suppression hash, per-send unsubscribe counts, list bitmaps to join…
 * ARGV[1]: id; ARGV[2]: JSON { from, to, now, guard?, set?, del?, suppress?, unsuppress?, countSend? }.
 * \`suppress\` is applied whatever the status (an opt-out is never lost); the rest only when the
 * change applies. Returns { applied 0|1, status code before, changed 0|1 }, or { -1, '', 0 } when
 * the subscriber does not exist.
 */
const APPLY = `
local c = cjson.decode(ARGV[2])
local before = redis.call('HGET', KEYS[1], 's')
if not before then return {-1, '', 0} end
if c.suppress then redis.call('HSETNX', KEYS[2], c.suppress[1], c.suppress[2]) end
if c.from ~= '' and not string.find(c.from, before, 1, true) then return {0, before, 0} end
if c.guard and redis.call('HGET', KEYS[1], c.guard[1]) ~= c.guard[2] then return {0, before, 0} end
local changed = false
if c.to ~= '' and c.to ~= before then
  redis.call('HSET', KEYS[1], 's', c.to)
  changed = true
  if c.countSend then redis.call('HINCRBY', KEYS[3], c.countSend, 1) end
end
if c.set then
  for field, value in pairs(c.set) do redis.call('HSET', KEYS[1], field, value); changed = true end
end
if c.del then
  for _, field in ipairs(c.del) do
    if redis.call('HDEL', KEYS[1], field) == 1 then changed = true end
  end
end
if c.unsuppress then redis.call('HDEL', KEYS[2], c.unsuppress) end
for i = 4, #KEYS do
  if redis.call('SETBIT', KEYS[i], ARGV[1], 1) == 0 then changed = true end
end
if changed then redis.call('HSET', KEYS[1], 'u', c.now) end
return {1, before, changed and 1 or 0}
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
    gzCreateMany(numKeys: number, ...keysAndArgs: (string | number)[]): Result<number[], Context>;
    gzApply(numKeys: number, ...keysAndArgs: (string | number)[]): Result<[number, string, number], Context>;
    gzPageBuffer(numKeys: number, ...keysAndArgs: (string | number)[]): Result<[number, Buffer], Context>;
    gzRenameList(numKeys: number, ...keysAndArgs: string[]): Result<number, Context>;
  }
}

/** Registers the store's Lua scripts on a connection (ioredis caches them and uses EVALSHA). */
export function defineScripts(redis: Redis): void {
  redis.defineCommand('gzCreateMany', { lua: CREATE_MANY });
  redis.defineCommand('gzApply', { lua: APPLY });
  redis.defineCommand('gzPage', { lua: PAGE });
  redis.defineCommand('gzRenameList', { lua: RENAME_LIST });
}
