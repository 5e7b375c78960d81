import type { Redis, Result } from 'ioredis';

/**
 * Records recipients' final outcomes, each exactly once: sets the recipient's bit in the send's
 * bitmap and, only if it was not set before, counts the outcome (and for deliveries: the first and
 * last delivery times, and the per-minute delivery timeline of the send report).
 * KEYS: bitmap, counts, meta, deliveries per minute. ARGV: now (ms), then subscriber id and outcome
 * field, pairs. Returns how many of them this call recorded (the others were recorded already).
 */
const SETTLE = `
local recorded = 0
local delivered = 0
for i = 2, #ARGV, 2 do
  if redis.call('SETBIT', KEYS[1], ARGV[i], 1) == 0 then
    redis.call('HINCRBY', KEYS[2], ARGV[i + 1], 1)
    recorded = recorded + 1
    if ARGV[i + 1] == 'delivered' then delivered = delivered + 1 end
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
      now: number,
      ...idOutcomePairs: (string | number)[]
    ): Result<number, Context>;
    gzSendTransition(
      meta: string,
      to: string,
      now: number,
      ...from: string[]
    ): Result<[number, string], Context>;
    gzSendStart(meta: string, now: number): Result<string, Context>;
    gzSendFinish(meta: string, counts: string, now: number): Result<number, Context>;
  }
}

/** Registers the send scripts on a connection (harmless to repeat). */
export function defineSendScripts(redis: Redis): void {
  if (typeof redis.gzSendSettle === 'function') return;
  redis.defineCommand('gzSendSettle', { numberOfKeys: 4, lua: SETTLE });
  redis.defineCommand('gzSendTransition', { numberOfKeys: 1, lua: TRANSITION });
  redis.defineCommand('gzSendStart', { numberOfKeys: 1, lua: START });
  redis.defineCommand('gzSendFinish', { numberOfKeys: 2, lua: FINISH });
}
