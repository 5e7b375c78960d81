import { Redis, type RedisOptions } from 'ioredis';

/** What every Redis-backed store takes: a connection, the key prefix (config.REDIS_PREFIX) and a clock (epoch ms). */
export interface StoreDeps {
  redis: Redis;
  prefix: string;
  clock?: () => number;
}

/**
 * Opens a Redis connection. `blocking` connections (BullMQ workers) need
 * `maxRetriesPerRequest: null` so that a long BRPOPLPUSH is never cut off.
 */
export function createRedis(url: string, opts: { blocking?: boolean } & RedisOptions = {}): Redis {
  const { blocking, ...rest } = opts;
  return new Redis(url, {
    lazyConnect: false,
    ...(blocking ? { maxRetriesPerRequest: null } : {}),
    ...rest,
  });
}

/** Builds a namespaced key: `prefix:part:part`. Every Gazette key goes through here. */
export function redisKey(prefix: string, ...parts: (string | number)[]): string {
  return [prefix, ...parts].join(':');
}
