import { Redis, type RedisOptions } from 'ioredis';
import type { Config } from './config.ts';
import { maskedUrl } from './redis-wait.ts';

/** What every Redis-backed store takes: a connection, the key prefix (config.REDIS_PREFIX) and a clock (epoch ms). */
export interface StoreDeps {
  redis: Redis;
  prefix: string;
  clock?: () => number;
}

/** The settings that say where Gazette's Redis is: one Redis at REDIS_URL, or a primary the sentinels name. */
export type RedisTarget = Pick<
  Config,
  'REDIS_URL' | 'REDIS_SENTINELS' | 'REDIS_SENTINEL_NAME' | 'REDIS_SENTINEL_PASSWORD'
>;

/**
 * ioredis options for a primary watched by Sentinel: the sentinels and the name from the settings;
 * user name, password, database and TLS from REDIS_URL (its host is not used). Undefined for one Redis.
 */
export function sentinelOptions(target: RedisTarget): Omit<RedisOptions, 'retryStrategy'> | undefined {
  if (target.REDIS_SENTINELS.length === 0 || !target.REDIS_SENTINEL_NAME) return undefined;
  const url = new URL(target.REDIS_URL);
  const db = Number(url.pathname.slice(1) || 0);
  return {
    sentinels: target.REDIS_SENTINELS,
    name: target.REDIS_SENTINEL_NAME,
    ...(url.username ? { username: decodeURIComponent(url.username) } : {}),
    ...(url.password ? { password: decodeURIComponent(url.password) } : {}),
    ...(target.REDIS_SENTINEL_PASSWORD ? { sentinelPassword: target.REDIS_SENTINEL_PASSWORD } : {}),
    ...(db ? { db } : {}),
    ...(url.protocol === 'rediss:' ? { tls: {}, enableTLSForSentinelMode: true } : {}),
  };
}

/**
 * Opens a Redis connection to `target` (the settings, or a URL). `blocking` connections (BullMQ
 * workers) need `maxRetriesPerRequest: null` so that a long BRPOPLPUSH is never cut off.
 */
export function createRedis(
  target: string | RedisTarget,
  opts: { blocking?: boolean } & RedisOptions = {},
): Redis {
  const { blocking, ...rest } = opts;
  const options = { lazyConnect: false, ...(blocking ? { maxRetriesPerRequest: null } : {}), ...rest };
  if (typeof target === 'string') return new Redis(target, options);
  const sentinel = sentinelOptions(target);
  return sentinel ? new Redis({ ...sentinel, ...options }) : new Redis(target.REDIS_URL, options);
}

/** Where a connection is, for people: the URL without its password, or the sentinels and the primary's name. */
export function redisPlace(target: RedisTarget): string {
  const sentinel = sentinelOptions(target);
  if (!sentinel) return maskedUrl(target.REDIS_URL);
  const nodes = target.REDIS_SENTINELS.map(
    (n) => `${n.host.includes(':') ? `[${n.host}]` : n.host}:${n.port}`,
  ).join(',');
  return `primary "${target.REDIS_SENTINEL_NAME}" of the sentinels ${nodes}`;
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
