import type { MiddlewareHandler } from 'hono';
import type { Redis } from 'ioredis';

/**
 * Answers a state-changing request (anything but GET and HEAD) with 503 at once while Redis is not
 * connected, instead of letting it wait for a reconnect: the reader can try again, nothing is lost.
 */
export function requireRedis(redis: Pick<Redis, 'status'>): MiddlewareHandler {
  return async (c, next) => {
    if (c.req.method === 'GET' || c.req.method === 'HEAD' || redis.status === 'ready') return next();
    c.header('Retry-After', '30');
    return c.text('Gazette cannot reach its database right now; please try again in a minute.', 503);
  };
}
