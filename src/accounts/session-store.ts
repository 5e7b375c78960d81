import { createHash, randomBytes } from 'node:crypto';
import { type StoreDeps, siblingKey, taggedKey } from '../redis.ts';

/** A session ends after 8 hours without a request, and 7 days after sign-in whatever happens. */
export const SESSION_IDLE_MS = 8 * 3600_000;
export const SESSION_ABSOLUTE_MS = 7 * 24 * 3600_000;

/** A live session: whose it is and when it began. */
export interface Session {
  email: string;
  createdAt: number;
}

/** Redis keeps a digest of the session id, never the id itself, so a copy of the data opens no session. */
const digest = (id: string) => createHash('sha256').update(id).digest('base64url');

/**
 * Desk sessions in Redis: a hash per session that expires at the sooner of its idle and absolute
 * limits, and a set per user so that a password change or removal ends all of them at once.
 */
export function createSessionStore({ redis, prefix, clock = Date.now }: StoreDeps) {
  // Sessions and each user's set of them share a hash tag (a MULTI writes both): a few keys a user.
  const sessionKey = (id: string) => taggedKey(prefix, 'session', digest(id));
  const userKey = (email: string) => siblingKey(prefix, 'session', 's-of', email);
  const ttl = (createdAt: number, now: number) =>
    Math.min(SESSION_IDLE_MS, createdAt + SESSION_ABSOLUTE_MS - now);

  return {
    /** Starts a session for `email`; returns its id (the cookie's value, 256 random bits). */
    async create(email: string): Promise<string> {
      const id = randomBytes(32).toString('base64url');
      const now = clock();
      await redis
        .multi()
        .hset(sessionKey(id), { email, createdAt: now })
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
      const left = ttl(createdAt, clock());
      if (left <= 0) {
        await redis.del(sessionKey(id));
        return null;
      }
      await redis.pexpire(sessionKey(id), left);
      return { email: h.email, createdAt };
    },
    /** Ends one session (signing out); harmless for an unknown id. */
    async destroy(id: string): Promise<void> {
      const email = await redis.hget(sessionKey(id), 'email');
      await redis.del(sessionKey(id));
      if (email) await redis.srem(userKey(email), digest(id));
    },
    /** Ends every session of `email` (password changed, account removed). */
    async destroyAll(email: string): Promise<void> {
      const digests = await redis.smembers(userKey(email));
      const keys = digests.map((d) => taggedKey(prefix, 'session', d));
      await redis.del(userKey(email), ...keys);
    },
  };
}

/** The session store's interface (see createSessionStore). */
export type SessionStore = ReturnType<typeof createSessionStore>;
