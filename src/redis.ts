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

/** Deletes every key matching `pattern`, in batches with SCAN and UNLINK, without blocking Redis. */
export async function deleteKeys(redis: Redis, pattern: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
    cursor = next;
    if (keys.length > 0) await redis.unlink(...keys);
  } while (cursor !== '0');
}
