import { randomBytes } from 'node:crypto';
import { hashPassword, verifyPassword } from '../../../accounts/password.ts';
import type { SecondFactorStore } from '../../../accounts/second-factor-store.ts';
import type { StoredUser, UserStore } from '../../../accounts/user-store.ts';
import { addressBlock } from '../../../http/address-block.ts';
import { createRateLimit } from '../../../rate-limits.ts';
import type { AnyRedis } from '../../../redis.ts';

/** Failed sign-ins allowed from one address (an IPv6 client's /64) within 15 minutes; the next attempt is refused (429). */
export const SIGN_IN_FAILURES = 5;
const WINDOW_S = 15 * 60;

/** What a sign-in attempt came to; a throttled one says how many seconds to wait. */
export type SignInResult =
  | { ok: true; user: StoredUser }
  | { ok: false; reason: 'invalid' }
  | { ok: false; reason: 'second-factor' }
  | { ok: false; reason: 'throttled'; retryAfter: number };

/**
 * Checks e-mail and password, at most SIGN_IN_FAILURES failures per client address in 15 minutes
 * (a Redis counter shared by every server). The limit is per address, never per e-mail (issue 17):
 * someone who fails for a user's e-mail locks out only their own address, for every e-mail, while the
 * user still signs in from theirs. An unknown e-mail is checked against a dummy hash, so it costs the
 * same time as a wrong password. A user with a second factor also needs `code` (issue 22): a wrong one
 * counts as a failure as a wrong password does; none at all after the right password does not, since
 * it is the first step of every such sign-in and guesses nothing.
 */
export function createSignIn(deps: {
  redis: AnyRedis;
  prefix: string;
  users: UserStore;
  secondFactors: Pick<SecondFactorStore, 'enrolled' | 'check'>;
}) {
  const byAddress = createRateLimit({
    redis: deps.redis,
    prefix: deps.prefix,
    rule: { name: 'sign-in-ip', points: SIGN_IN_FAILURES, seconds: WINDOW_S },
  });
  // Made now, not at the first unknown e-mail, which would otherwise take twice as long as the others.
  const dummy = hashPassword(randomBytes(16).toString('hex'));

  return async function signIn(
    email: string,
    password: string,
    ip: string,
    code?: string,
  ): Promise<SignInResult> {
    const block = addressBlock(ip);
    // Reserved before the hash runs, in one atomic Redis script (rate-limiter-flexible's consume):
    // of any number of concurrent attempts, at most SIGN_IN_FAILURES get past this line (issue 17).
    const slot = await byAddress.take(block);
    if (!slot.ok) return { ok: false, reason: 'throttled', retryAfter: slot.retryAfter };
    const user = await deps.users.get(email.trim().toLowerCase());
    const matches = await verifyPassword(password, user?.hash ?? (await dummy));
    if (!user || !matches) return { ok: false, reason: 'invalid' };
    if (await deps.secondFactors.enrolled(user.email)) {
      if (code === undefined || code === '') {
        await byAddress.give(block);
        return { ok: false, reason: 'second-factor' };
      }
      if ((await deps.secondFactors.check(user.email, code)) !== 'ok') {
        return { ok: false, reason: 'second-factor' };
      }
    }
    // Only failures count: a successful sign-in gives its reservation back.
    await byAddress.give(block);
    return { ok: true, user };
  };
}
