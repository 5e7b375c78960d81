import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { hashPassword, verifyPassword } from '../../accounts/password.ts';
import type { StoredUser, UserStore } from '../../accounts/user-store.ts';
import { createRateLimit } from '../../rate-limits.ts';

/** Failed sign-ins allowed per e-mail and per IP within 15 minutes; the next attempt is refused (429). */
export const SIGN_IN_FAILURES = 5;
const WINDOW_S = 15 * 60;

/** What a sign-in attempt came to. */
export type SignInResult = { ok: true; user: StoredUser } | { ok: false; reason: 'invalid' | 'throttled' };

/**
 * Checks e-mail and password, throttled per e-mail and per IP (Redis counters shared by every server).
 * An unknown e-mail is checked against a dummy hash, so it costs the same time as a wrong password.
 */
export function createSignIn(deps: { redis: Redis; prefix: string; users: UserStore }) {
  const limit = (name: string) =>
    createRateLimit({
      redis: deps.redis,
      prefix: deps.prefix,
      rule: { name, points: SIGN_IN_FAILURES, seconds: WINDOW_S },
    });
  const byEmail = limit('sign-in-email');
  const byIp = limit('sign-in-ip');
  // Made now, not at the first unknown e-mail, which would otherwise take twice as long as the others.
  const dummy = hashPassword(randomBytes(16).toString('hex'));

  return async function signIn(email: string, password: string, ip: string): Promise<SignInResult> {
    const address = email.trim().toLowerCase();
    const [e, i] = await Promise.all([byEmail.peek(address), byIp.peek(ip)]);
    if (!e.ok || !i.ok) return { ok: false, reason: 'throttled' };
    const user = await deps.users.get(address);
    const matches = await verifyPassword(password, user?.hash ?? (await dummy));
    if (user && matches) return { ok: true, user };
    await Promise.all([byEmail.take(address), byIp.take(ip)]);
    return { ok: false, reason: 'invalid' };
  };
}
