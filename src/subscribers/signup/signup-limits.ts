import type { Config } from '../../config.ts';
import { createRateLimit, type RateLimit } from '../../rate-limits.ts';
import type { AnyRedis } from '../../redis.ts';

/** The three limits on sign-ups: per client IP, per mailbox, and confirmation mails per hour overall. */
export interface SignupLimits {
  ip: RateLimit;
  mailbox: RateLimit;
  mails: RateLimit;
}

/** The sign-up limits from SIGNUP_* and CONFIRM_MAIL_HOURLY_LIMIT, counted in Redis under `prefix`. */
export function createSignupLimits({
  redis,
  prefix,
  config,
}: {
  redis: AnyRedis;
  prefix: string;
  config: Pick<
    Config,
    | 'SIGNUP_IP_LIMIT'
    | 'SIGNUP_IP_MINUTES'
    | 'SIGNUP_MAILBOX_LIMIT'
    | 'SIGNUP_MAILBOX_HOURS'
    | 'CONFIRM_MAIL_HOURLY_LIMIT'
  >;
}): SignupLimits {
  const limit = (name: string, points: number, seconds: number) =>
    createRateLimit({ redis, prefix, rule: { name, points, seconds: Math.ceil(seconds) } });
  return {
    ip: limit('signup-ip', config.SIGNUP_IP_LIMIT, config.SIGNUP_IP_MINUTES * 60),
    mailbox: limit('signup-mailbox', config.SIGNUP_MAILBOX_LIMIT, config.SIGNUP_MAILBOX_HOURS * 3600),
    mails: limit('confirm-mails', config.CONFIRM_MAIL_HOURLY_LIMIT, 3600),
  };
}
