import type { Context } from 'hono';
import type { AnyRedis } from '../redis.ts';

/** GET /health: 200 when Redis answers PING within a second, else 503 (at once while disconnected); JSON. */
export function health(redis: AnyRedis) {
  return async (c: Context) => {
    if (redis.status !== 'ready') return c.json({ status: 'error', redis: redis.status }, 503);
    try {
      const timeout = new Promise<never>((_, reject) =>
        setTimeout(() => reject(new Error('timed out')), 1000).unref(),
      );
      await Promise.race([redis.ping(), timeout]);
      return c.json({ status: 'ok', redis: 'ok' });
    } catch (err) {
      return c.json({ status: 'error', redis: (err as Error).message }, 503);
    }
  };
}
