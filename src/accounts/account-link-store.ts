import { createHash, randomBytes } from 'node:crypto';
import { z } from 'zod';
import { redisKey, type StoreDeps } from '../redis.ts';

/** A password-reset link lives 30 minutes; an invitation 7 days (issue 22). */
export const RESET_LINK_MS = 30 * 60_000;
export const INVITE_LINK_MS = 7 * 24 * 3600_000;

/** What a link is for: a forgotten password, or a new member's first password. */
export const AccountLinkPurpose = z.enum(['reset', 'invite']);
export type AccountLinkPurpose = z.infer<typeof AccountLinkPurpose>;

/** A link as stored: whose account it sets the password of, why, when it was made and until when (epoch ms). */
const StoredLink = z.object({
  email: z.string(),
  purpose: AccountLinkPurpose,
  issuedAt: z.number(),
  expiresAt: z.number(),
});
export type AccountLink = z.infer<typeof StoredLink>;

/** What a token comes to: a live link, one past its time (whose it was), or nothing. */
export type LinkLookup =
  | { state: 'live'; link: AccountLink }
  | { state: 'expired'; link: AccountLink }
  | null;

/** A token is 32 random bytes in base64url: 256 bits, 43 characters. */
const TOKEN = /^[\w-]{43}$/;

/** Redis keeps a digest of the token, never the token, so a copy of the data opens no link. */
const digest = (token: string) => createHash('sha256').update(token).digest('base64url');

/**
 * Single-use links that set an account's password (a reset, an invitation), in Redis: one string key
 * per link under the token's digest, and per user the digest of their live link, so that a new link
 * ends the one before (one live link per user). Every operation touches one key at a time (Redis
 * Cluster). Expiry is checked against `clock`; Redis's own expiry only clears the leftovers.
 */
export function createAccountLinkStore({ redis, prefix, clock = Date.now }: StoreDeps) {
  const linkKey = (d: string) => redisKey(prefix, 'account-link', d);
  const liveKey = (email: string) => redisKey(prefix, 'account-link-of', email);

  function read(raw: string | null): LinkLookup {
    if (raw === null) return null;
    let data: unknown;
    try {
      data = JSON.parse(raw);
    } catch {
      return null;
    }
    const parsed = StoredLink.safeParse(data);
    if (!parsed.success) return null;
    return { state: parsed.data.expiresAt > clock() ? 'live' : 'expired', link: parsed.data };
  }

  return {
    /** A new link for `email` (its token, shown once, and when it ends); the user's earlier link ends. */
    async issue(email: string, purpose: AccountLinkPurpose): Promise<{ token: string; expiresAt: number }> {
      const token = randomBytes(32).toString('base64url');
      const d = digest(token);
      const ttl = purpose === 'reset' ? RESET_LINK_MS : INVITE_LINK_MS;
      const now = clock();
      const link: AccountLink = { email, purpose, issuedAt: now, expiresAt: now + ttl };
      await redis.set(linkKey(d), JSON.stringify(link), 'PX', ttl);
      // SET … GET swaps in the new digest and hands back the old one in one step, so of two links
      // issued at once exactly one stays live.
      const previous = await redis.set(liveKey(email), d, 'PX', ttl, 'GET');
      if (previous && previous !== d) await redis.del(linkKey(previous));
      return { token, expiresAt: link.expiresAt };
    },
    /** What `token` comes to, without using it up. */
    async peek(token: string): Promise<LinkLookup> {
      if (!TOKEN.test(token)) return null;
      return read(await redis.get(linkKey(digest(token))));
    },
    /** Uses `token` up (GETDEL: of two uses at once only one gets it) and says what it was. */
    async use(token: string): Promise<LinkLookup> {
      if (!TOKEN.test(token)) return null;
      return read(await redis.getdel(linkKey(digest(token))));
    },
  };
}

/** The account link store's interface (see createAccountLinkStore). */
export type AccountLinkStore = ReturnType<typeof createAccountLinkStore>;
