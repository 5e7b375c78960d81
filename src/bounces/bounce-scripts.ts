import type { Result } from 'ioredis';
import type { AnyRedis } from '../redis.ts';

/** Events kept in one address's history (`gazette subscribers show`); the script trims to it. */
export const ADDRESS_CAP = 50;

/**
 * Records one bounce event in one round trip, keyed by the event's identity so that the same bounce
 * seen twice counts once (issue 9: it used to take about seven).
 * Verified (`v`): counts a soft bounce in the address's window, decides `suppressed` when the count
 * reaches ARGV suppressAt (0 for hard bounces and complaints), and appends the event, with that action
 * and count, to the global stream and the address's history and, with a send, to that send's counters.
 * Unverified (`u`): appends the event to the review stream only, trimmed by age, acting on nobody.
 * With the send's readers bitmap too, the subscriber's bit is set there (the report splits bounces
 * by edition with it).
 * KEYS: seen marker, stream [, soft set, address events [, send counters [, send's bounced readers]]].
 * ARGV: mode, marker TTL (s), now (ms), kind, reason, cap, suppressAt | oldest kept id, window (ms), fields…
 * Returns -1 for a repeat, else the soft count (0 when not soft) plus 1000000 when it suppresses.
 */
const RECORD = `
if not redis.call('SET', KEYS[1], '1', 'NX', 'EX', ARGV[2]) then return -1 end
local fields = {}
for i = 9, #ARGV do fields[#fields + 1] = ARGV[i] end
if ARGV[1] == 'u' then
  fields[#fields + 1] = 'action'
  fields[#fields + 1] = 'unverified'
  redis.call('XADD', KEYS[2], 'MINID', '~', ARGV[7], '*', unpack(fields))
  redis.call('XTRIM', KEYS[2], 'MAXLEN', '~', ARGV[6])
  return 0
end
local soft = 0
local now = tonumber(ARGV[3])
if ARGV[4] == 'soft' then
  redis.call('ZADD', KEYS[3], now, KEYS[1])
  redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', '(' .. (now - tonumber(ARGV[8])))
  soft = redis.call('ZCARD', KEYS[3])
  redis.call('PEXPIRE', KEYS[3], ARGV[8])
end
local suppress = soft >= tonumber(ARGV[7])
fields[#fields + 1] = 'action'
fields[#fields + 1] = suppress and 'suppressed' or 'counted'
fields[#fields + 1] = 'soft'
fields[#fields + 1] = tostring(soft)
redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[6], '*', unpack(fields))
redis.call('XADD', KEYS[4], 'MAXLEN', '${ADDRESS_CAP}', '*', unpack(fields))
if #KEYS >= 5 then
  redis.call('HINCRBY', KEYS[5], 'kind:' .. ARGV[4], 1)
  redis.call('HINCRBY', KEYS[5], 'reason:' .. ARGV[5], 1)
end
if #KEYS == 6 then
  for i = 1, #fields, 2 do
    if fields[i] == 'subscriber' and fields[i + 1] ~= '' then redis.call('SETBIT', KEYS[6], fields[i + 1], 1) end
  end
end
if suppress then return soft + 1000000 end
return soft
`;

declare module 'ioredis' {
  interface RedisCommander<Context> {
    gzBounceRecord(numKeys: number, ...keysAndArgs: (string | number)[]): Result<number, Context>;
  }
  interface ChainableCommander {
    gzBounceRecord(numKeys: number, ...keysAndArgs: (string | number)[]): ChainableCommander;
  }
}

/** Registers the bounce script on a connection (harmless to repeat). */
export function defineBounceScripts(redis: AnyRedis): void {
  if (typeof redis.gzBounceRecord === 'function') return;
  redis.defineCommand('gzBounceRecord', { lua: RECORD });
}
