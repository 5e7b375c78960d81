import { createHash } from 'node:crypto';
import { z } from 'zod';
import { redisKey, type StoreDeps } from '../../redis.ts';

/**
 * Whom the provider means, for good: its issuer and the person's `sub` there (OpenID Connect Core
 * §5.7: the pair is the only stable name of a person; an e-mail address may pass to someone else).
 */
export const ProviderSubject = z.object({ iss: z.string(), sub: z.string() });
export type ProviderSubject = z.infer<typeof ProviderSubject>;

/** Whether two subjects are the same person at the same provider. */
export const sameSubject = (a: ProviderSubject, b: ProviderSubject) => a.iss === b.iss && a.sub === b.sub;

/** A subject's key part: a digest of the pair, so that any issuer or `sub` makes a short, plain key. */
const digest = (s: ProviderSubject) =>
  createHash('sha256')
    .update(JSON.stringify([s.iss, s.sub]))
    .digest('base64url');

/**
 * Which desk account each person of the provider reached at their first single sign-on: per account
 * the subject it is linked to, and per subject the account's address. Every operation touches one key
 * at a time (Redis Cluster); the account's side is written first, so a crash between the two writes
 * leaves a link the next sign-in by e-mail finds whole and completes (sso-account.ts).
 */
export function createSsoLinkStore({ redis, prefix }: StoreDeps) {
  const subjectKey = (s: ProviderSubject) => redisKey(prefix, 'sso-subject', digest(s));
  const accountKey = (email: string) => redisKey(prefix, 'sso-link', email);

  async function subjectOf(email: string): Promise<ProviderSubject | null> {
    const raw = await redis.get(accountKey(email));
    const parsed = raw ? ProviderSubject.safeParse(JSON.parse(raw)) : null;
    return parsed?.success ? parsed.data : null;
  }

  return {
    /** The address of the account `subject` is linked to, or null. */
    emailOf: (subject: ProviderSubject): Promise<string | null> => redis.get(subjectKey(subject)),
    /** The subject the account of `email` is linked to, or null. */
    subjectOf,
    /**
     * Links the account of `email` to `subject`, unless either is linked already (to anything):
     * whether the two are linked to each other now.
     */
    async link(email: string, subject: ProviderSubject): Promise<boolean> {
      const mine = await redis.set(accountKey(email), JSON.stringify(subject), 'NX');
      const now = mine ? subject : await subjectOf(email);
      if (!now || !sameSubject(now, subject)) return false;
      const taken = await redis.set(subjectKey(subject), email, 'NX');
      if (taken) return true;
      if ((await redis.get(subjectKey(subject))) === email) return true;
      // The subject reached another account meanwhile: this one stays unlinked.
      if (mine) await redis.del(accountKey(email));
      return false;
    },
    /** Removes the link of the account of `email`, both sides (harmless when it has none). */
    async unlink(email: string): Promise<void> {
      const subject = await subjectOf(email);
      if (subject && (await redis.get(subjectKey(subject))) === email) await redis.del(subjectKey(subject));
      await redis.del(accountKey(email));
    },
  };
}

/** The link store's interface (see createSsoLinkStore). */
export type SsoLinkStore = ReturnType<typeof createSsoLinkStore>;
