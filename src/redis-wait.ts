import { type AnyRedis, clusterNodes, type RedisTarget } from './redis.ts';

/** The Redis URL for people: the password, if any, replaced by `***`. */
export function maskedUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString().replace(/\/$/, '');
  } catch {
    return 'the configured REDIS_URL';
  }
}

/**
 * Which Redis the settings name, for people and never with a password: `Redis at <masked URL>`, `the
 * Redis primary "<name>" of the sentinels <nodes>`, or `the Redis Cluster at <seed nodes>`.
 */
export function redisName(place: RedisTarget): string {
  const nodes = clusterNodes(place.REDIS_CLUSTER_NODES);
  if (nodes.length > 0) return `the Redis Cluster at ${nodes.map((n) => `${n.host}:${n.port}`).join(',')}`;
  if (place.REDIS_SENTINELS.length > 0 && place.REDIS_SENTINEL_NAME) {
    const sentinels = place.REDIS_SENTINELS.map(
      (n) => `${n.host.includes(':') ? `[${n.host}]` : n.host}:${n.port}`,
    );
    return `the Redis primary "${place.REDIS_SENTINEL_NAME}" of the sentinels ${sentinels.join(',')}`;
  }
  return `Redis at ${maskedUrl(place.REDIS_URL)}`;
}

/** The wait before reconnect attempt `times` (1, 2, …): 0.5 s doubling to at most 30 s. */
export function reconnectDelay(times: number): number {
  return Math.min(30_000, 500 * 2 ** Math.min(times - 1, 6));
}

/**
 * Options for a long-running process's connection (worker, server): reconnects for ever with a
 * visible backoff, one sentence per attempt through `log` naming `place` (redisPlace: no password).
 * Attach `error` listeners with `quietRedisErrors` so that ioredis never prints its own.
 */
export function resilientOptions(place: RedisTarget, log: (msg: string) => void) {
  let lastError = '';
  return {
    options: {
      // ioredis waits this long for a socket it closes to say so; a refused socket already has, so
      // its default (2 s) only delayed the exit of a process stopped while Redis was down.
      disconnectTimeout: 200,
      retryStrategy(times: number): number {
        const delay = reconnectDelay(times);
        log(
          `${redisName(place)} does not answer (${lastError || 'no reply'}); trying again in ${(delay / 1000).toFixed(1)} s`,
        );
        return delay;
      },
    },
    /** Remembers the latest socket error for the next sentence (ioredis emits it before retrying). */
    onError(err: Error & { code?: string }): void {
      lastError = err.code ?? err.message;
    },
  };
}

/**
 * Resolves once `redis` is ready (answers commands); rejects with `signal`'s reason if it is
 * aborted first (SIGTERM while Redis is down). Never opens a connection itself.
 */
export function untilReady(redis: AnyRedis, signal?: AbortSignal): Promise<void> {
  if (redis.status === 'ready') return Promise.resolve();
  return new Promise((resolve, reject) => {
    const done = () => {
      signal?.removeEventListener('abort', abort);
      resolve();
    };
    const abort = () => {
      redis.off('ready', done);
      reject(signal?.reason ?? new Error('aborted'));
    };
    redis.once('ready', done);
    signal?.addEventListener('abort', abort, { once: true });
  });
}

/** A log that prints the same message at most once per `windowMs` (a reconnecting client repeats itself). */
export function dedupedLog(log: (msg: string) => void, windowMs = 30_000): (msg: string) => void {
  const seen = new Map<string, number>();
  return (msg) => {
    const now = Date.now();
    if (now - (seen.get(msg) ?? -Infinity) < windowMs) return;
    seen.set(msg, now);
    if (seen.size > 100) seen.clear();
    log(msg);
  };
}
