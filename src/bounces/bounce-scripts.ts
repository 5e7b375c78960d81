import type { Redis, Result } from 'ioredis';

/**
 * First half of recording an event, keyed by the event's identity so that the same bounce seen twice
 * counts once: if the identity is new, notes it as pending and, for a soft bounce, adds it to the
 * address's soft bounces and counts those within the window.
 * KEYS: seen marker, soft-bounce sorted set. ARGV: marker TTL (s), now (ms), window start (ms),
 * kind, member, window (ms). Returns the marker: `p<soft count>` (pending, or left pending by a
 * run that stopped half-way) or `d` (done before).
 */
const RESERVE = `
local state = redis.call('GET', KEYS[1])
if state then return state end
local soft = 0
if ARGV[4] == 'soft' then
  redis.call('ZADD', KEYS[2], ARGV[2], ARGV[5])
  redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', '(' .. ARGV[3])
  soft = redis.call('ZCARD', KEYS[2])
  redis.call('PEXPIRE', KEYS[2], ARGV[6])
end
state = 'p' .. soft
redis.call('SET', KEYS[1], state, 'EX', ARGV[1])
return state
`;

/**
 * Second half: stores the event (with what the policy did) in the global stream and the address's
 * history and, when it belongs to a send, in the send's events with its counters; then marks the
 * identity done. Does nothing for an identity already done.
 * KEYS: seen marker, events, address events [, send stats, send events, send counts].
 * ARGV: events cap, address cap, kind, reason, field, value, …  Returns 1 when it stored the event.
 */
const COMMIT = `
if redis.call('GET', KEYS[1]) == 'd' then return 0 end
local fields = {}
for i = 5, #ARGV do fields[#fields + 1] = ARGV[i] end
redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[1], '*', unpack(fields))
redis.call('XADD', KEYS[3], 'MAXLEN', ARGV[2], '*', unpack(fields))
if #KEYS == 6 then
  redis.call('HINCRBY', KEYS[4], 'kind:' .. ARGV[3], 1)
  redis.call('HINCRBY', KEYS[4], 'reason:' .. ARGV[4], 1)
  redis.call('XADD', KEYS[5], '*', unpack(fields))
  if ARGV[3] ~= 'complaint' then redis.call('HINCRBY', KEYS[6], 'bounced', 1) end
end
redis.call('SET', KEYS[1], 'd', 'KEEPTTL')
return 1
`;

declare module 'ioredis' {
  interface RedisCommander<Context> {
    gzBounceReserve(
      seen: string,
      soft: string,
      ttlSeconds: number,
      now: number,
      windowStart: number,
      kind: string,
      member: string,
      windowMs: number,
    ): Result<string, Context>;
    gzBounceCommit(numKeys: number, ...keysAndArgs: (string | number)[]): Result<number, Context>;
  }
}

/** Registers the bounce scripts on a connection (harmless to repeat). */
export function defineBounceScripts(redis: Redis): void {
  if (typeof redis.gzBounceReserve === 'function') return;
  redis.defineCommand('gzBounceReserve', { numberOfKeys: 2, lua: RESERVE });
  redis.defineCommand('gzBounceCommit', { lua: COMMIT });
}
