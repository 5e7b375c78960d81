import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import type { AnyRedis } from './redis.ts';
import { redisKey } from './redis.ts';

/** What one limit allows: `points` actions per key within `seconds`. */
export interface RateLimitRule {
  /** Names the limit in Redis keys (`<prefix>:limit:<name>:<key>`). */
  name: string;
  points: number;
  seconds: number;
}

/** The answer of a limit: allowed (with the points left and the seconds until the window ends), or refused with the seconds until the next action is allowed. */
export type RateLimitAnswer =
  | { ok: true; remaining: number; resetIn: number }
  | { ok: false; retryAfter: number };

/** A fixed-window counter per key, shared by every process on the same Redis. */
export interface RateLimit {
  /** Counts one action for `key`; refused when the key has used up its points in this window. */
  take(key: string): Promise<RateLimitAnswer>;
  /** Whether `key` still has points left, without counting anything. */
  peek(key: string): Promise<RateLimitAnswer>;
  /** Gives back one action taken for `key` that turned out not to count (a reservation not used). */
  give(key: string): Promise<void>;
}

const seconds = (ms: number) => Math.max(1, Math.ceil(ms / 1000));

function refused(res: RateLimiterRes): RateLimitAnswer {
  return { ok: false, retryAfter: seconds(res.msBeforeNext) };
}

/**
 * Builds a limit on Redis (rate-limiter-flexible, atomic in one script). A Redis failure rejects
 * with that error: callers decide whether to fail open or closed; nothing is counted twice.
 */
export function createRateLimit({
  redis,
  prefix,
  rule,
}: {
  redis: AnyRedis;
  prefix: string;
  rule: RateLimitRule;
}): RateLimit {
  const limiter = new RateLimiterRedis({
    storeClient: redis,
    keyPrefix: redisKey(prefix, 'limit', rule.name),
    points: rule.points,
    duration: rule.seconds,
  });
  return {
    async take(key) {
      try {
        const res = await limiter.consume(key);
        return { ok: true, remaining: res.remainingPoints, resetIn: seconds(res.msBeforeNext) };
      } catch (err) {
        if (err instanceof RateLimiterRes) return refused(err);
        throw err;
      }
    },
    async peek(key) {
      const res = await limiter.get(key);
      if (!res) return { ok: true, remaining: rule.points, resetIn: rule.seconds };
      if (res.consumedPoints < rule.points) {
        return { ok: true, remaining: rule.points - res.consumedPoints, resetIn: seconds(res.msBeforeNext) };
      }
      return refused(res);
    },
    async give(key) {
      await limiter.reward(key);
    },
  };
}
