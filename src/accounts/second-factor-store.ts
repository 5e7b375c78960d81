import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';
import { Secret, TOTP } from 'otpauth';
import { z } from 'zod';
import { redisKey, type StoreDeps, siblingKey, taggedKey } from '../redis.ts';
import { Role } from '../roles.ts';

/** How many recovery codes an enrolment gives; each works once in place of a TOTP code. */
export const RECOVERY_CODES = 10;

/** An enrolment not confirmed within this time is dropped. */
const PENDING_S = 15 * 60;

/** TOTP as every authenticator app reads it (RFC 6238 defaults): SHA-1, 6 digits, 30 s. */
const PERIOD = 30;
const totpOf = (secret: Secret, label: string) =>
  new TOTP({ issuer: 'Gazette', label, algorithm: 'SHA1', digits: 6, period: PERIOD, secret });

/** The roles whose users must have a second factor (the admin's setting). */
export const SecondFactorPolicy = z.object({ roles: z.array(Role) });
export type SecondFactorPolicy = z.infer<typeof SecondFactorPolicy>;

/** What a code offered at sign-in came to. */
export type FactorCheck = 'ok' | 'wrong';

// Accepts a step only when it is later than the last one accepted, so a code is good once (replay).
const TAKE_STEP = `
local last = tonumber(redis.call('HGET', KEYS[1], 'lastStep') or '-1')
if tonumber(ARGV[1]) <= last then return 0 end
redis.call('HSET', KEYS[1], 'lastStep', ARGV[1])
return 1`;

/**
 * Second factors of desk accounts (issue 22): a TOTP secret per user, kept in Redis encrypted with
 * a key derived from GAZETTE_SECRET (a copy of the data opens nothing), ten single-use recovery
 * codes kept as HMACs, and the admin's policy of which roles need one.
 */
export function createSecondFactorStore({
  redis,
  prefix,
  clock = Date.now,
  secret,
}: StoreDeps & { secret: string }) {
  // A user's factor, pending enrolment and recovery codes share a hash tag (MULTIs write them together).
  const factorKey = (email: string) => taggedKey(prefix, 'totp', email);
  const pendingKey = (email: string) => siblingKey(prefix, 'totp', '-pending', email);
  const recoveryKey = (email: string) => siblingKey(prefix, 'totp', '-recovery', email);
  const policyKey = redisKey(prefix, 'settings', 'second-factor');
  const key = Buffer.from(hkdfSync('sha256', secret, 'gazette', 'totp-secret', 32));
  const macKey = Buffer.from(hkdfSync('sha256', secret, 'gazette', 'recovery-code', 32));

  function seal(plain: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return [iv, cipher.getAuthTag(), body].map((b) => b.toString('base64url')).join('.');
  }

  function open(sealed: string): string | null {
    const [iv, tag, body] = sealed.split('.').map((p) => Buffer.from(p, 'base64url'));
    if (!iv || !tag || !body) return null;
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, iv);
      decipher.setAuthTag(tag);
      return Buffer.concat([decipher.update(body), decipher.final()]).toString('utf8');
    } catch {
      return null;
    }
  }

  /** Recovery codes are compared without case, dashes or spaces, as people type them. */
  const mac = (code: string) =>
    createHmac('sha256', macKey).update(code.toLowerCase().replace(/[\s-]/g, '')).digest('base64url');

  /** The time step `code` is good for under `base32` (±1 step for clock drift), or null. */
  function stepOf(base32: string, email: string, code: string): number | null {
    const timestamp = clock();
    const delta = totpOf(Secret.fromBase32(base32), email).validate({ token: code, timestamp, window: 1 });
    return delta === null ? null : TOTP.counter({ period: PERIOD, timestamp }) + delta;
  }

  function recoveryCodes(): string[] {
    // 10 base32 characters: 50 random bits each, shown as `abcde-fghij`.
    return Array.from({ length: RECOVERY_CODES }, () => {
      const s = new Secret({ size: 7 }).base32.slice(0, 10).toLowerCase();
      return `${s.slice(0, 5)}-${s.slice(5)}`;
    });
  }

  return {
    /** Whether `email` has a confirmed second factor. */
    async enrolled(email: string): Promise<boolean> {
      return (await redis.exists(factorKey(email))) === 1;
    },
    /** A new secret for `email`, kept pending until confirmed; null when a factor is already enrolled. */
    async begin(email: string): Promise<{ secret: string; uri: string } | null> {
      if (await redis.exists(factorKey(email))) return null;
      const fresh = new Secret({ size: 20 });
      await redis.set(pendingKey(email), seal(fresh.base32), 'EX', PENDING_S);
      return { secret: fresh.base32, uri: totpOf(fresh, email).toString() };
    },
    /** Confirms the pending secret with a code from it; the recovery codes (shown once), or null. */
    async confirm(email: string, code: string): Promise<string[] | null> {
      const sealed = await redis.get(pendingKey(email));
      const base32 = sealed ? open(sealed) : null;
      const step = base32 ? stepOf(base32, email, code) : null;
      // Claimed once: of two confirmations at the same time, only one hands out recovery codes.
      if (!base32 || step === null || (await redis.del(pendingKey(email))) === 0) return null;
      const codes = recoveryCodes();
      await redis
        .multi()
        .del(recoveryKey(email))
        .hset(factorKey(email), { secret: seal(base32), lastStep: step })
        .sadd(recoveryKey(email), ...codes.map(mac))
        .exec();
      return codes;
    },
    /**
     * Checks a sign-in's `code`: a TOTP code of a step not used before, or an unused recovery code
     * (spent by this check).
     */
    async check(email: string, code: string): Promise<FactorCheck> {
      if (!/^\d{6}$/.test(code)) {
        return (await redis.srem(recoveryKey(email), mac(code))) === 1 ? 'ok' : 'wrong';
      }
      const sealed = await redis.hget(factorKey(email), 'secret');
      const base32 = sealed ? open(sealed) : null;
      const step = base32 ? stepOf(base32, email, code) : null;
      if (step === null) return 'wrong';
      const taken = await redis.eval(TAKE_STEP, 1, factorKey(email), step);
      return taken === 1 ? 'ok' : 'wrong';
    },
    /** Removes the factor and its recovery codes; false when there was none. */
    async remove(email: string): Promise<boolean> {
      const [[, n]] = (await redis
        .multi()
        .del(factorKey(email))
        .del(pendingKey(email), recoveryKey(email))
        .exec()) as [[Error | null, number]];
      return n === 1;
    },
    /** The roles that must have a second factor (none until an admin says). */
    async policy(): Promise<SecondFactorPolicy> {
      const roles = (await redis.get(policyKey)) ?? '';
      return SecondFactorPolicy.parse({ roles: roles.split(',').filter((r) => Role.safeParse(r).success) });
    },
    async setPolicy(policy: SecondFactorPolicy): Promise<void> {
      await redis.set(policyKey, [...new Set(policy.roles)].join(','));
    },
  };
}

/** The second-factor store's interface (see createSecondFactorStore). */
export type SecondFactorStore = ReturnType<typeof createSecondFactorStore>;
