import { userInfo } from 'node:os';
import type { Gazette } from '../app.ts';
import { type Config, loadConfig } from '../config.ts';
import { GazetteError } from '../errors.ts';
import type { AnyRedis } from '../redis.ts';
import { redisName } from '../redis-wait.ts';

/**
 * Runs `fn` with a Redis connection opened from the environment and closes it afterwards, so the
 * process can exit. An unreachable Redis is a GazetteError saying what to do, not a retry loop.
 */
async function withRedis<T>(fn: (config: Config, redis: AnyRedis) => Promise<T>): Promise<T> {
  const config = loadConfig();
  // Loaded here, not at import: every command module imports this file, and `gazette --help` should
  // not pay for ioredis and the stores.
  const { connectRedis } = await import('../redis.ts');
  const redis = connectRedis(config, {
    lazyConnect: true,
    maxRetriesPerRequest: 1,
    retryStrategy: () => null,
  });
  let cause: Error | undefined;
  redis.on('error', (err: Error) => {
    cause ??= err; // the socket error says more than connect()'s "Connection is closed"
  });
  try {
    await redis.connect();
  } catch (err) {
    const reason = (cause ?? (err as Error)).message;
    throw new GazetteError(
      `cannot reach ${redisName(config)} (${reason}); start it (e.g. \`docker compose up -d redis\`) or set REDIS_URL`,
      { code: 'E_REDIS', cause: cause ?? err },
    );
  }
  try {
    return await fn(config, redis);
  } finally {
    await redis.quit();
  }
}

/** Runs `fn` with the composition root on a Redis connection opened from the environment; closes both after. */
export function withGazette<T>(fn: (gazette: Gazette) => Promise<T>): Promise<T> {
  return withRedis(async (config, redis) => {
    const { createGazette } = await import('../app.ts');
    const gazette = createGazette(config, { redis });
    try {
      return await fn(gazette);
    } finally {
      await gazette.close();
    }
  });
}

/** Who is at the command line, for consent and unsubscribe records: `cli:<user name>`. */
export function cliUser(): string {
  try {
    return `cli:${userInfo().username}`;
  } catch {
    return 'cli';
  }
}
