import { z } from 'zod';
import { redisKey, type StoreDeps } from '../redis.ts';

/** A challenge handed out for one ceremony is good this long, and once (issue 22). */
const CHALLENGE_S = 5 * 60;

/** A passkey as stored: the WebAuthn credential (its id, COSE public key, signature counter, transports) and its name. */
export const StoredPasskey = z.object({
  /** The credential id, base64url. */
  id: z.string(),
  name: z.string(),
  /** The COSE public key, base64url. */
  publicKey: z.string(),
  counter: z.number().int().nonnegative(),
  transports: z.array(z.string()),
  createdAt: z.string(),
  lastUsedAt: z.string().nullable(),
});
export type StoredPasskey = z.infer<typeof StoredPasskey>;

/**
 * What a challenge was handed out for: enrolling a passkey of `email`, the second factor of
 * `email`'s sign-in (after the right password), or a password-less sign-in by whoever holds a passkey.
 */
export const ChallengeBinding = z.discriminatedUnion('for', [
  z.object({ for: z.literal('register'), email: z.string() }),
  z.object({ for: z.literal('second-factor'), email: z.string() }),
  z.object({ for: z.literal('sign-in') }),
]);
export type ChallengeBinding = z.infer<typeof ChallengeBinding>;

// Sets a hash field only while it still holds the value read before (ARGV: field, read, new).
const SET_IF_UNCHANGED = `
if redis.call('HGET', KEYS[1], ARGV[1]) ~= ARGV[2] then return 0 end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[3])
return 1`;

/**
 * Desk users' passkeys in Redis: a hash per user (credential id → passkey), an owner key per
 * credential (so a password-less sign-in finds the user, and a credential belongs to one user only),
 * and the ceremonies' challenges, each a key of its own that lives CHALLENGE_S and is taken once.
 * No MULTI spans two of these keys (they hash to different cluster slots): the owner key is written
 * first and removed last, and a passkey counts only when both agree.
 */
export function createPasskeyStore({ redis, prefix }: StoreDeps) {
  const userKey = (email: string) => redisKey(prefix, 'passkeys', email);
  const ownerKey = (id: string) => redisKey(prefix, 'passkey-owner', id);
  const challengeKey = (challenge: string) => redisKey(prefix, 'passkey-challenge', challenge);

  const parse = (raw: string | null) => {
    if (raw === null) return null;
    const parsed = StoredPasskey.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : null;
  };

  return {
    /** `email`'s passkeys, oldest first. */
    async list(email: string): Promise<StoredPasskey[]> {
      const all = Object.values(await redis.hgetall(userKey(email)));
      return all
        .map(parse)
        .filter((p): p is StoredPasskey => p !== null)
        .sort((a, b) => a.createdAt.localeCompare(b.createdAt));
    },
    /** Whether `email` has at least one passkey. */
    async has(email: string): Promise<boolean> {
      return (await redis.hlen(userKey(email))) > 0;
    },
    /** Stores a new passkey of `email`; false when the credential is someone's already. */
    async add(email: string, passkey: StoredPasskey): Promise<boolean> {
      if ((await redis.set(ownerKey(passkey.id), email, 'NX')) !== 'OK') return false;
      await redis.hset(userKey(email), passkey.id, JSON.stringify(passkey));
      return true;
    },
    /** The passkey with credential `id` and its owner, or null when nobody has it. */
    async find(id: string): Promise<{ email: string; passkey: StoredPasskey } | null> {
      const email = await redis.get(ownerKey(id));
      const passkey = email === null ? null : parse(await redis.hget(userKey(email), id));
      return email !== null && passkey !== null ? { email, passkey } : null;
    },
    /**
     * Records a use: the authenticator's new counter and when. Written only over the value it read
     * (one key, compare-and-set), so a passkey removed meanwhile is not brought back.
     */
    async used(email: string, id: string, counter: number, at: string): Promise<void> {
      const raw = await redis.hget(userKey(email), id);
      const passkey = parse(raw);
      if (!passkey) return;
      const next = JSON.stringify({ ...passkey, counter, lastUsedAt: at });
      await redis.eval(SET_IF_UNCHANGED, 1, userKey(email), id, raw ?? '', next);
    },
    /** Removes `email`'s passkey `id`; false when they have no such passkey. */
    async remove(email: string, id: string): Promise<boolean> {
      if ((await redis.hdel(userKey(email), id)) === 0) return false;
      await redis.del(ownerKey(id));
      return true;
    },
    /** Removes every passkey of `email`; how many there were. */
    async removeAll(email: string): Promise<number> {
      const ids = await redis.hkeys(userKey(email));
      await redis.del(userKey(email));
      for (const id of ids) await redis.del(ownerKey(id));
      return ids.length;
    },
    /** Keeps `challenge` for CHALLENGE_S seconds, bound to what it was handed out for. */
    async keepChallenge(challenge: string, binding: ChallengeBinding): Promise<void> {
      await redis.set(challengeKey(challenge), JSON.stringify(binding), 'EX', CHALLENGE_S);
    },
    /** Takes `challenge` (it is gone afterwards): what it was handed out for, or null when unknown, expired or used. */
    async takeChallenge(challenge: string): Promise<ChallengeBinding | null> {
      const raw = await redis.getdel(challengeKey(challenge));
      const parsed = raw === null ? null : ChallengeBinding.safeParse(JSON.parse(raw));
      return parsed?.success ? parsed.data : null;
    },
  };
}

/** The passkey store's interface (see createPasskeyStore). */
export type PasskeyStore = ReturnType<typeof createPasskeyStore>;
