import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { RateLimiterRedis } from 'rate-limiter-flexible';
import { hashPassword, verifyPassword } from '../../accounts/password.ts';
import type { StoredUser, UserStore } from '../../accounts/user-store.ts';
import { redisKey } from '../../redis.ts';

/** Failed sign-ins allowed per e-mail and per IP within the window; the next attempt is refused (429). */
export const SIGN_IN_FAILURES = 5;
export const SIGN_IN_WINDOW_S = 15 * 60;

/** What a sign-in attempt came to. */
export type SignInResult = { ok: true; user: StoredUser } | { ok: false; reason: 'invalid' | 'throttled' };

/**
 * Checks e-mail and password, throttled per e-mail and per IP (Redis counters shared by every server).
 * An unknown e-mail is checked against a dummy hash, so it costs the same time as a wrong password.
 */
export function createSignIn(deps: { redis: Redis; prefix: string; users: UserStore }) {
  const limiter = (kind: string) =>
    new RateLimiterRedis({
      storeClient: deps.redis,
      keyPrefix: redisKey(deps.prefix, 'sign-in', kind),
      points: SIGN_IN_FAILURES,
      duration: SIGN_IN_WINDOW_S,
    });
  const byEmail = limiter('email');
  const byIp = limiter('ip');
  // Made now, not at the first unknown e-mail, which would otherwise take twice as long as the others.
  const dummy = hashPassword(randomBytes(16).toString('hex'));

  return async function signIn(email: string, password: string, ip: string): Promise<SignInResult> {
    const address = email.trim().toLowerCase();
    const [e, i] = await Promise.all([byEmail.get(address), byIp.get(ip)]);
    if ((e?.consumedPoints ?? 0) >= SIGN_IN_FAILURES || (i?.consumedPoints ?? 0) >= SIGN_IN_FAILURES) {
      return { ok: false, reason: 'throttled' };
    }
    const user = await deps.users.get(address);
    const matches = await verifyPassword(password, user?.hash ?? (await dummy));
    if (user && matches) {
      await byEmail.delete(address);
      return { ok: true, user };
    }
    // consume() rejects once the points are spent; the counter still counts, which is all we need.
    await Promise.all([byEmail.consume(address).catch(() => null), byIp.consume(ip).catch(() => null)]);
    return { ok: false, reason: 'invalid' };
  };
}
