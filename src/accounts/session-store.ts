import { createHash, randomBytes } from 'node:crypto';
import { type StoreDeps, siblingKey, taggedKey } from '../redis.ts';

/** A session ends after 8 hours without a request, and 7 days after sign-in whatever happens. */
export const SESSION_IDLE_MS = 8 * 3600_000;
export const SESSION_ABSOLUTE_MS = 7 * 24 * 3600_000;

/**
 * How long a proof of who one is counts for the few changes that need one besides the session (adding
 * or removing a second factor): a sign-in, or the password or a passkey given again on the account page.
 * GitHub's "sudo mode" in spirit: a stolen session cookie alone neither removes a factor nor plants one.
 */
export const CONFIRMATION_MS = 10 * 60_000;

/** `lastSeenAt` is written at most this often: a burst of requests costs one write, not one each. */
export const SEEN_EVERY_MS = 60_000;

/**
 * A live session: whose it is, when it began, when its person last proved who they are (at the
 * sign-in, or since), and for a single sign-on whether the provider checked two factors.
 */
export interface Session {
  email: string;
  createdAt: number;
  confirmedAt: number;
  sso?: { mfa: boolean };
}

/** Where a session was opened: the device's label (see deviceLabel) and the client's IP address. */
export interface SessionOrigin {
  device: string;
  ip: string;
}

/** A session as its user sees it in a list; `id` is the stored digest, never the cookie's value. */
export interface SessionView extends SessionOrigin {
  id: string;
  createdAt: number;
  lastSeenAt: number;
}

// Writes only into a session that is still there: an HSET on an expired one would make a husk that never expires.
const CONFIRM = `if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
redis.call('HSET', KEYS[1], 'confirmedAt', ARGV[1])
return 1`;

/** Redis keeps a digest of the session id, never the id itself, so a copy of the data opens no session. */
const digest = (id: string) => createHash('sha256').update(id).digest('base64url');

/** A digest as session-store makes them (43 base64url characters): anything else names no session. */
const DIGEST = /^[\w-]{43}$/;

/**
 * Desk sessions in Redis: a hash per session that expires at the sooner of its idle and absolute
 * limits, and a set per user so that a password change or removal ends all of them at once.
 */
export function createSessionStore({ redis, prefix, clock = Date.now }: StoreDeps) {
  // Sessions and each user's set of them share a hash tag (a MULTI writes both): a few keys a user.
  const keyOf = (d: string) => taggedKey(prefix, 'session', d);
  const sessionKey = (id: string) => keyOf(digest(id));
  const userKey = (email: string) => siblingKey(prefix, 'session', 's-of', email);
  const ttl = (createdAt: number, now: number) =>
    Math.min(SESSION_IDLE_MS, createdAt + SESSION_ABSOLUTE_MS - now);

  /** Ends the sessions of `email` with these digests; how many were still live. */
  async function end(email: string, digests: string[]): Promise<number> {
    if (digests.length === 0) return 0;
    // One DEL per session: under Redis Cluster each session's key may live on another node.
    const ended = await Promise.all(digests.map((d) => redis.del(keyOf(d))));
    await redis.srem(userKey(email), ...digests);
    return ended.reduce((a, b) => a + b, 0);
  }

  return {
    /** Starts a session for `email` (`sso` when it came through the provider); returns its id (the cookie's value, 256 random bits). */
    async create(
      email: string,
      origin: SessionOrigin = { device: '', ip: '' },
      sso?: { mfa: boolean },
    ): Promise<string> {
      const id = randomBytes(32).toString('base64url');
      const now = clock();
      const fields = {
        email,
        createdAt: now,
        confirmedAt: now,
        ...(sso ? { sso: sso.mfa ? 'mfa' : 'single' } : {}),
      };
      await redis
        .multi()
        .hset(sessionKey(id), { ...fields, lastSeenAt: now, ...origin })
        .pexpire(sessionKey(id), SESSION_IDLE_MS)
        .sadd(userKey(email), digest(id))
        .pexpire(userKey(email), SESSION_ABSOLUTE_MS)
        .exec();
      return id;
    },
    /** The session of `id` (its idle clock restarted), or null when it is unknown or expired. */
    async get(id: string): Promise<Session | null> {
      if (!/^[\w-]{43}$/.test(id)) return null;
      const h = await redis.hgetall(sessionKey(id));
      const createdAt = Number(h.createdAt);
      if (!h.email || !Number.isFinite(createdAt)) return null;
      const now = clock();
      const left = ttl(createdAt, now);
      if (left <= 0) {
        await redis.del(sessionKey(id));
        return null;
      }
      await redis.pexpire(sessionKey(id), left);
      if (!(now - Number(h.lastSeenAt) < SEEN_EVERY_MS)) await redis.hset(sessionKey(id), 'lastSeenAt', now);
      return {
        email: h.email,
        createdAt,
        // A session of before the field was kept: its sign-in is the last proof.
        confirmedAt: Number(h.confirmedAt) || createdAt,
        ...(h.sso ? { sso: { mfa: h.sso === 'mfa' } } : {}),
      };
    },
    /** Notes that the person of the session `id` proved who they are just now; false when it ended. */
    async confirm(id: string): Promise<boolean> {
      return (await redis.eval(CONFIRM, 1, sessionKey(id), clock())) === 1;
    },
    /** Whether the person of `session` proved who they are within the last CONFIRMATION_MS. */
    recentlyConfirmed: (session: Session): boolean => clock() - session.confirmedAt < CONFIRMATION_MS,
    /** The opaque id a list shows for the session whose cookie is `id`. */
    publicId: digest,
    /** The live sessions of `email`, the latest seen first; the ids of ended ones are tidied away. */
    async list(email: string): Promise<SessionView[]> {
      const digests = await redis.smembers(userKey(email));
      const rows = await Promise.all(digests.map((d) => redis.hgetall(keyOf(d))));
      const gone = digests.filter((_, i) => rows[i]?.email !== email);
      if (gone.length > 0) await redis.srem(userKey(email), ...gone);
      return digests
        .flatMap((id, i) => {
          const h = rows[i];
          if (!h || h.email !== email) return [];
          const createdAt = Number(h.createdAt);
          const lastSeenAt = Number(h.lastSeenAt) || createdAt;
          return [{ id, device: h.device ?? '', ip: h.ip ?? '', createdAt, lastSeenAt }];
        })
        .sort((a, b) => b.lastSeenAt - a.lastSeenAt);
    },
    /** Ends the session of `email` listed as `publicId`; false when it has no such session. */
    async destroyListed(email: string, publicId: string): Promise<boolean> {
      if (!DIGEST.test(publicId) || !(await redis.sismember(userKey(email), publicId))) return false;
      await end(email, [publicId]);
      return true;
    },
    /** Ends one session (signing out); harmless for an unknown id. */
    async destroy(id: string): Promise<void> {
      const email = await redis.hget(sessionKey(id), 'email');
      await redis.del(sessionKey(id));
      if (email) await redis.srem(userKey(email), digest(id));
    },
    /**
     * Ends every session of `email` (password changed, account disabled or removed), or every one
     * but the session whose cookie is `except`; how many ended.
     */
    async destroyAll(email: string, except?: string): Promise<number> {
      const keep = except === undefined ? null : digest(except);
      const digests = (await redis.smembers(userKey(email))).filter((d) => d !== keep);
      if (keep === null) await redis.del(userKey(email));
      return end(email, digests);
    },
  };
}

/** The session store's interface (see createSessionStore). */
export type SessionStore = ReturnType<typeof createSessionStore>;
