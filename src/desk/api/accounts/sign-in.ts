import { randomBytes } from 'node:crypto';
import type { PasskeyCeremony, PasskeyRefusal } from '../../../accounts/passkey-ceremony.ts';
import type { PasskeyAssertion } from '../../../accounts/passkey-responses.ts';
import type { PasskeyStore } from '../../../accounts/passkey-store.ts';
import { hashPassword, verifyPassword } from '../../../accounts/password.ts';
import { type SecondFactorMethod, secondFactorMethods } from '../../../accounts/second-factor-methods.ts';
import type { SecondFactorStore } from '../../../accounts/second-factor-store.ts';
import type { StoredUser, UserStore } from '../../../accounts/user-store.ts';
import { addressBlock } from '../../../http/address-block.ts';
import { createRateLimit } from '../../../rate-limits.ts';
import type { AnyRedis } from '../../../redis.ts';

/** Failed sign-ins allowed from one address (an IPv6 client's /64) within 15 minutes; the next attempt is refused (429). */
export const SIGN_IN_FAILURES = 5;
/** The window the sign-in throttle counts in (seconds); the password-reset throttle counts in the same. */
export const SIGN_IN_WINDOW_S = 15 * 60;

/** The sign-in throttle's rule: failures per client address, shared by everything that checks a password or passkey. */
export const SIGN_IN_RULE = { name: 'sign-in-ip', points: SIGN_IN_FAILURES, seconds: SIGN_IN_WINDOW_S };

/** What a sign-in attempt came to; a throttled one says how many seconds to wait. */
export type SignInResult =
  | { ok: true; user: StoredUser }
  | { ok: false; reason: 'invalid' }
  | { ok: false; reason: 'passkey'; refusal: PasskeyRefusal }
  | {
      ok: false;
      reason: 'second-factor';
      email: string;
      methods: SecondFactorMethod[];
      refusal?: PasskeyRefusal;
    }
  | { ok: false; reason: 'disabled' }
  | { ok: false; reason: 'throttled'; retryAfter: number };

/** The second factor offered with a password: a TOTP or recovery code, or a passkey's signed assertion. */
export interface SecondFactorProof {
  code?: string | undefined;
  passkey?: PasskeyAssertion | undefined;
}

/**
 * Checks e-mail and password, at most SIGN_IN_FAILURES failures per client address in 15 minutes
 * (a Redis counter shared by every server). The limit is per address, never per e-mail (issue 17):
 * someone who fails for a user's e-mail locks out only their own address, for every e-mail, while the
 * user still signs in from theirs. An unknown e-mail is checked against a dummy hash, so it costs the
 * same time as a wrong password. A user with a second factor also needs a code or a passkey (issue
 * 22): a wrong one counts as a failure as a wrong password does; none at all after the right password
 * does not, since it is the first step of every such sign-in and guesses nothing. A password-less
 * sign-in with a passkey counts its failures under the same limit. A disabled account is refused
 * after its right password (or passkey), which tells a guesser nothing.
 */
export function createSignIn(deps: {
  redis: AnyRedis;
  prefix: string;
  users: UserStore;
  secondFactors: Pick<SecondFactorStore, 'enrolled' | 'check'>;
  passkeys: Pick<PasskeyStore, 'has'>;
  passkeyCeremony: Pick<PasskeyCeremony, 'verifySignIn'>;
}) {
  const byAddress = createRateLimit({
    redis: deps.redis,
    prefix: deps.prefix,
    rule: SIGN_IN_RULE,
  });
  // Made now, not at the first unknown e-mail, which would otherwise take twice as long as the others.
  const dummy = hashPassword(randomBytes(16).toString('hex'));

  /** The second factor's verdict for `user`, who gave the right password. */
  async function secondFactor(user: StoredUser, proof: SecondFactorProof): Promise<SignInResult | 'pass'> {
    const methods = await secondFactorMethods(deps, user.email);
    if (methods.length === 0) return 'pass';
    const asked = { ok: false, reason: 'second-factor', email: user.email, methods } as const;
    if (proof.passkey) {
      const used = await deps.passkeyCeremony.verifySignIn(proof.passkey, user.email);
      return used.ok ? 'pass' : { ...asked, refusal: used.refusal };
    }
    if (proof.code !== undefined && proof.code !== '') {
      return (await deps.secondFactors.check(user.email, proof.code)) === 'ok' ? 'pass' : asked;
    }
    return asked;
  }

  return {
    /** Signs in with e-mail and password, and the second factor when the user has one. */
    async withPassword(
      email: string,
      password: string,
      ip: string,
      proof: SecondFactorProof = {},
    ): Promise<SignInResult> {
      const block = addressBlock(ip);
      // Reserved before the hash runs, in one atomic Redis script (rate-limiter-flexible's consume):
      // of any number of concurrent attempts, at most SIGN_IN_FAILURES get past this line (issue 17).
      const slot = await byAddress.take(block);
      if (!slot.ok) return { ok: false, reason: 'throttled', retryAfter: slot.retryAfter };
      const user = await deps.users.get(email.trim().toLowerCase());
      const matches = await verifyPassword(password, user?.hash ?? (await dummy));
      if (!user || !matches) return { ok: false, reason: 'invalid' };
      // Said only to someone who knows the password: it tells a guesser nothing (still a failure, counted).
      if (user.disabled) return { ok: false, reason: 'disabled' };
      const verdict = await secondFactor(user, proof);
      const unasked = proof.passkey === undefined && (proof.code === undefined || proof.code === '');
      // Only failures count: a successful sign-in, or the first step of a two-step one, gives its reservation back.
      if (verdict === 'pass' || unasked) await byAddress.give(block);
      return verdict === 'pass' ? { ok: true, user } : verdict;
    },
    /** Signs in with a passkey alone (a discoverable credential, user verification required). */
    async withPasskey(response: PasskeyAssertion, ip: string): Promise<SignInResult> {
      const block = addressBlock(ip);
      const slot = await byAddress.take(block);
      if (!slot.ok) return { ok: false, reason: 'throttled', retryAfter: slot.retryAfter };
      const used = await deps.passkeyCeremony.verifySignIn(response);
      if (!used.ok) return { ok: false, reason: 'passkey', refusal: used.refusal };
      // A passkey left behind by a removed account opens nothing.
      const user = await deps.users.get(used.email);
      if (!user) return { ok: false, reason: 'passkey', refusal: 'passkey-unknown' };
      if (user.disabled) return { ok: false, reason: 'disabled' };
      await byAddress.give(block);
      return { ok: true, user };
    },
  };
}
