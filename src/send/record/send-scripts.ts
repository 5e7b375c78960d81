import type { Result } from 'ioredis';
import type { AnyRedis } from '../../redis.ts';

/**
 * Records recipients' final outcomes, each exactly once: sets the recipient's bit in the send's
 * bitmap and, only if it was not set before, counts the outcome (and for deliveries: the first and
 * last delivery times, and the per-minute delivery timeline of the send report). A failure is
 * also counted by cause (`failed:<cause>`) and by cause and the relay's words (the failures hash,
 * at most 200 distinct lines); a failure of a cause in ARGV[2] is remembered for `gazette retry`.
 * Each outcome is also counted per edition, and the recipient's edition kept as a 4-bit field
 * (its place plus 1), which the report reads against the clicks and bounces.
 * KEYS: bitmap, counts, meta, deliveries per minute, retryable ids (zset), failures, editions
 * field, counts per edition.
 * ARGV: now (ms), retryable causes (comma-separated), then quints of subscriber id, outcome field,
 * cause, words ('' for deliveries and skips) and the edition's place in the send (0 the default).
 * Returns how many this call recorded.
 */
const SETTLE = `
local retryable = {}
for c in string.gmatch(ARGV[2], '[^,]+') do retryable[c] = true end
local recorded = 0
local delivered = 0
for i = 3, #ARGV, 5 do
  if redis.call('SETBIT', KEYS[1], ARGV[i], 1) == 0 then
    local outcome = ARGV[i + 1]
    redis.call('HINCRBY', KEYS[2], outcome, 1)
    redis.call('BITFIELD', KEYS[7], 'SET', 'u4', '#' .. ARGV[i], tonumber(ARGV[i + 4]) + 1)
    redis.call('HINCRBY', KEYS[8], ARGV[i + 4] .. ':' .. outcome, 1)
    recorded = recorded + 1
    if outcome == 'delivered' then
      delivered = delivered + 1
    elseif outcome == 'failed' and ARGV[i + 2] ~= '' then
      local cause = ARGV[i + 2]
      redis.call('HINCRBY', KEYS[2], 'failed:' .. cause, 1)
      if retryable[cause] then redis.call('ZADD', KEYS[5], ARGV[i], ARGV[i]) end
      local field = cause .. '\t' .. ARGV[i + 3]
      if redis.call('HEXISTS', KEYS[6], field) == 0 and redis.call('HLEN', KEYS[6]) >= 200 then
        field = cause .. '\t(other replies)'
      end
      redis.call('HINCRBY', KEYS[6], field, 1)
    end
  end
end
if delivered > 0 then
  redis.call('HSET', KEYS[3], 'lastAt', ARGV[1])
  redis.call('HSETNX', KEYS[3], 'firstAt', ARGV[1])
  redis.call('HINCRBY', KEYS[4], math.floor(tonumber(ARGV[1]) / 60000), delivered)
end
return recorded
`;

/**
 * Pauses a `sending` send on the system's behalf, with its reason (ARGV[2]). With a `once` key
 * (ARGV[3]) it does so only the first time for that key, so a send a person resumed never pauses
 * itself again for the same reason. KEYS: meta. ARGV: now, reason, once ('' for every time).
 * Returns 1 when this call paused the send.
 */
const SYSTEM_PAUSE = `
if redis.call('HGET', KEYS[1], 'state') ~= 'sending' then return 0 end
local once = ARGV[3]
if once ~= '' and redis.call('HEXISTS', KEYS[1], 'paused:' .. once) == 1 then return 0 end
redis.call('HSET', KEYS[1], 'state', 'paused', 'pausedAt', ARGV[1], 'reason', ARGV[2])
if once ~= '' then redis.call('HSET', KEYS[1], 'paused:' .. once, ARGV[1]) end
return 1
`;

/**
 * Begins retry pass ARGV[2] (2 for the first retry) of a `done` send: keeps the counts as they
 * were (the pass snapshot, with `retried` and `at`), moves the retryable ids to the pass's own
 * set, clears their bits and failure counts, moves the retryable causes' words to the pass, and
 * puts the send back to `sending` with its fan-out to do again. Harmless to repeat.
 * KEYS: meta, counts, bitmap, retryable ids, failures, snapshot, pass ids, pass failures,
 * editions field, counts per edition (the retried failures are uncounted from their edition too).
 * ARGV: now, pass, retryable causes. Returns {status, n}: 1 begun (n ids), 0 begun before,
 * -1 no such send, -2 not done (n: the state), -3 nothing to retry, -4 another pass is due first.
 */
const BEGIN_RETRY = `
local state = redis.call('HGET', KEYS[1], 'state')
if not state then return {-1, ''} end
local pass = tonumber(ARGV[2])
local last = tonumber(redis.call('HGET', KEYS[1], 'pass') or '1')
if last >= pass then return {0, redis.call('HGET', KEYS[6], 'retried') or '0'} end
if last ~= pass - 1 then return {-4, tostring(last)} end
if state ~= 'done' then return {-2, state} end
local n = redis.call('ZCARD', KEYS[4])
if n == 0 then return {-3, ''} end
local counts = redis.call('HGETALL', KEYS[2])
if #counts > 0 then redis.call('HSET', KEYS[6], unpack(counts)) end
redis.call('HSET', KEYS[6], 'retried', n, 'at', ARGV[1])
redis.call('RENAME', KEYS[4], KEYS[7])
local ids = redis.call('ZRANGE', KEYS[7], 0, -1)
for _, id in ipairs(ids) do
  redis.call('SETBIT', KEYS[3], id, 0)
  local place = redis.call('BITFIELD', KEYS[9], 'GET', 'u4', '#' .. id)[1]
  if place > 0 then redis.call('HINCRBY', KEYS[10], (place - 1) .. ':failed', -1) end
end
redis.call('HINCRBY', KEYS[2], 'failed', -n)
local retryable = {}
for c in string.gmatch(ARGV[3], '[^,]+') do
  retryable[c] = true
  redis.call('HDEL', KEYS[2], 'failed:' .. c)
end
local words = redis.call('HGETALL', KEYS[5])
for i = 1, #words, 2 do
  local cause = string.match(words[i], '^[^\\t]+')
  if retryable[cause] then
    redis.call('HSET', KEYS[8], words[i], words[i + 1])
    redis.call('HDEL', KEYS[5], words[i])
  end
end
redis.call('HSET', KEYS[1], 'state', 'sending', 'pass', pass, 'fanoutDone', '0', 'cursor', '0')
redis.call('HDEL', KEYS[1], 'doneAt')
return {1, tostring(n)}
`;

/**
 * Moves a send to state ARGV[1] if its state is one of ARGV[3..]. ARGV[2] is the time (ms),
 * stored as `<state>At`. A `paused` send resumed to `sending` goes back to `scheduled` instead
 * when its fan-out has not started. KEYS: meta.
 * Returns { 1 if changed else 0, state before ('' when there is no such send) }.
 */
const TRANSITION = `
local before = redis.call('HGET', KEYS[1], 'state')
if not before then return {0, ''} end
for i = 3, #ARGV do
  if before == ARGV[i] then
    local to = ARGV[1]
    if to == 'sending' and before == 'paused' and not redis.call('HGET', KEYS[1], 'startedAt') then
      to = 'scheduled'
    end
    redis.call('HSET', KEYS[1], 'state', to, to .. 'At', ARGV[2])
    return {1, before}
  end
end
return {0, before}
`;

/**
 * Marks the fan-out as started (once) and moves a `scheduled` send to `sending`; a paused or
 * cancelled send keeps its state. KEYS: meta. ARGV: now. Returns the state after.
 */
const START = `
local state = redis.call('HGET', KEYS[1], 'state')
if not state then return '' end
redis.call('HSETNX', KEYS[1], 'startedAt', ARGV[1])
if state == 'scheduled' then
  redis.call('HSET', KEYS[1], 'state', 'sending')
  return 'sending'
end
return state
`;

/**
 * Marks a `sending` send `done` once its fan-out is complete and every recipient it queued has
 * an outcome. KEYS: meta, counts. ARGV: now. Returns 1 when this call finished the send.
 */
const FINISH = `
if redis.call('HGET', KEYS[1], 'state') ~= 'sending' then return 0 end
if redis.call('HGET', KEYS[1], 'fanoutDone') ~= '1' then return 0 end
local c = redis.call('HMGET', KEYS[2], 'total', 'delivered', 'failed', 'skipped')
local settled = tonumber(c[2] or '0') + tonumber(c[3] or '0') + tonumber(c[4] or '0')
if settled < tonumber(c[1] or '0') then return 0 end
redis.call('HSET', KEYS[1], 'state', 'done', 'doneAt', ARGV[1])
return 1
`;

declare module 'ioredis' {
  interface RedisCommander<Context> {
    gzSendSettle(
      bitmap: string,
      counts: string,
      meta: string,
      minutes: string,
      retryable: string,
      failures: string,
      editions: string,
      editionCounts: string,
      now: number,
      retryableCauses: string,
      ...idOutcomeCauseWordsEdition: (string | number)[]
    ): Result<number, Context>;
    gzSendTransition(
      meta: string,
      to: string,
      now: number,
      ...from: string[]
    ): Result<[number, string], Context>;
    gzSendStart(meta: string, now: number): Result<string, Context>;
    gzSendSystemPause(meta: string, now: number, reason: string, once: string): Result<number, Context>;
    gzSendBeginRetry(...keysAndArgs: (string | number)[]): Result<[number, string], Context>;
    gzSendFinish(meta: string, counts: string, now: number): Result<number, Context>;
  }
}

/** Registers the send scripts on a connection (harmless to repeat). */
export function defineSendScripts(redis: AnyRedis): void {
  if (typeof redis.gzSendSettle === 'function') return;
  redis.defineCommand('gzSendSettle', { numberOfKeys: 8, lua: SETTLE });
  redis.defineCommand('gzSendSystemPause', { numberOfKeys: 1, lua: SYSTEM_PAUSE });
  redis.defineCommand('gzSendBeginRetry', { numberOfKeys: 10, lua: BEGIN_RETRY });
  redis.defineCommand('gzSendTransition', { numberOfKeys: 1, lua: TRANSITION });
  redis.defineCommand('gzSendStart', { numberOfKeys: 1, lua: START });
  redis.defineCommand('gzSendFinish', { numberOfKeys: 2, lua: FINISH });
}
