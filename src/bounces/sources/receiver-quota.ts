import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import type { Config } from '../../config.ts';
import type { AnyRedis } from '../../redis.ts';
import { redisKey } from '../../redis.ts';

/** An SMTP refusal: the reply code and its text. */
export interface Refusal {
  code: 421 | 452;
  message: string;
}

type QuotaConfig = Pick<
  Config,
  | 'BOUNCE_IP_MESSAGES_HOUR'
  | 'BOUNCE_IP_BYTES_HOUR'
  | 'BOUNCE_TOTAL_MESSAGES_HOUR'
  | 'BOUNCE_TOTAL_BYTES_HOUR'
>;

const HOUR = 3600;
const TOTAL = 'all';

/**
 * The bounce receiver's hourly quotas, per client IP and in total, of messages and of bytes, kept in
 * Redis by rate-limiter-flexible (so several servers share them). Past a client's own quota it hears
 * 452 (try later); past the total, 421 (the server is busy). A Redis error refuses nothing: the
 * receiver's own 451 handles a Redis that cannot take the message.
 */
export function createReceiverQuota(deps: { redis: AnyRedis; prefix: string; config: QuotaConfig }) {
  const limiter = (name: string, points: number) =>
    new RateLimiterRedis({
      storeClient: deps.redis,
      keyPrefix: redisKey(deps.prefix, 'bounces', 'quota', name),
      points,
      duration: HOUR,
    });
  const c = deps.config;
  const ipMessages = limiter('ip-messages', c.BOUNCE_IP_MESSAGES_HOUR);
  const ipBytes = limiter('ip-bytes', c.BOUNCE_IP_BYTES_HOUR);
  const totalMessages = limiter('messages', c.BOUNCE_TOTAL_MESSAGES_HOUR);
  const totalBytes = limiter('bytes', c.BOUNCE_TOTAL_BYTES_HOUR);

  const own: Refusal = {
    code: 452,
    message: '4.7.1 too much mail from your address this hour; try again later',
  };
  const all: Refusal = {
    code: 421,
    message: '4.3.2 this server takes no more mail this hour; try again later',
  };

  /** Consumes `points`; false when the quota is spent (a Redis error counts as not spent). */
  async function take(l: RateLimiterRedis, key: string, points: number): Promise<boolean> {
    try {
      await l.consume(key, points);
      return true;
    } catch (err) {
      if (err instanceof RateLimiterRes) return false;
      return true;
    }
  }

  async function spent(l: RateLimiterRedis, key: string, limit: number): Promise<boolean> {
    const res = await l.get(key).catch(() => null);
    return (res?.consumedPoints ?? 0) >= limit;
  }

  return {
    /** Counts one message at MAIL FROM; a refusal when the client or everyone is over a quota. */
    async admit(ip: string): Promise<Refusal | null> {
      if (!(await take(totalMessages, TOTAL, 1))) return all;
      if (await spent(totalBytes, TOTAL, c.BOUNCE_TOTAL_BYTES_HOUR)) return all;
      if (!(await take(ipMessages, ip, 1))) return own;
      if (await spent(ipBytes, ip, c.BOUNCE_IP_BYTES_HOUR)) return own;
      return null;
    },
    /** Counts a received message's bytes; a refusal (the message is dropped) when that passes a quota. */
    async charge(ip: string, bytes: number): Promise<Refusal | null> {
      if (!(await take(totalBytes, TOTAL, bytes))) return all;
      if (!(await take(ipBytes, ip, bytes))) return own;
      return null;
    },
  };
}

/** The receiver quota's interface (see createReceiverQuota). */
export type ReceiverQuota = ReturnType<typeof createReceiverQuota>;
