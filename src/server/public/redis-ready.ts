import type { MiddlewareHandler } from 'hono';
import type { AnyRedis } from '../../redis.ts';

/**
 * Answers a state-changing request (anything but GET and HEAD) with 503 at once while Redis is
 * down (its connection failed or closed and is not ready again), instead of letting it wait for a
 * reconnect: the reader can try again, nothing is lost. A first connection still being made waits.
 */
export function requireRedis(redis: Pick<AnyRedis, 'status' | 'on'>): MiddlewareHandler {
  let down = ['reconnecting', 'close', 'end'].includes(redis.status);
  redis.on('ready', () => {
    down = false;
  });
  for (const event of ['close', 'reconnecting', 'end']) {
    redis.on(event, () => {
      down = true;
    });
  }
  return async (c, next) => {
    if (c.req.method === 'GET' || c.req.method === 'HEAD' || !down) return next();
    c.header('Retry-After', '30');
    return c.text('Gazette cannot reach its database right now; please try again in a minute.', 503);
  };
}
