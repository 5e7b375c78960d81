import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { GazetteError } from '../errors.ts';
import { redisKey, type StoreDeps, siblingKey, taggedKey } from '../redis.ts';
import { Role } from '../roles.ts';
import { hashPassword } from './password.ts';

/** A desk account's address: trimmed, lower-cased, checked. */
export const UserEmail = z
  .string()
  .trim()
  .toLowerCase()
  .pipe(z.email({ error: 'is not an e-mail address' }));

/** A desk account as stored; `hash` is the scrypt record of its password and never leaves the server. */
export const StoredUser = z.object({
  email: z.string(),
  name: z.string(),
  roles: z.array(Role).min(1),
  hash: z.string(),
  createdAt: z.string(),
  /** Set while an invited member has not chosen a password yet (their hash is of a secret nobody knows). */
  invitedAt: z.string().optional(),
  /** A disabled account cannot sign in and its sessions have ended (an admin's choice, issue 22). */
  disabled: z.boolean(),
  /** ISO instant of the last successful sign-in; absent for an account that never signed in. */
  lastSignInAt: z.string().optional(),
});
export type StoredUser = z.infer<typeof StoredUser>;

/** An account without its hash, as lists and answers show it. */
export type UserView = Omit<StoredUser, 'hash'>;

/** What an admin may change of an account (`PATCH /users/{email}`); an absent field stays. */
export interface UserChange {
  name?: string | undefined;
  roles?: Role[] | undefined;
  disabled?: boolean | undefined;
}

const viewOf = ({ hash: _, ...view }: StoredUser): UserView => view;

/** Which desk notices a user gets by mail; each is on until the user turns it off (issue 18). */
export const NoticePrefs = z
  .object({
    reviewRequested: z.boolean(),
    changesRequested: z.boolean(),
    approved: z.boolean(),
    sendFinished: z.boolean(),
  })
  .strict();
export type NoticePrefs = z.infer<typeof NoticePrefs>;

/** The kinds of desk notice, as NoticePrefs names them. */
export type NoticeKind = keyof NoticePrefs;

const NOTICE_KINDS = Object.keys(NoticePrefs.shape) as NoticeKind[];

/** Shortest password accepted (NIST SP 800-63B asks for at least 8; longer is better). */
export const MIN_PASSWORD = 10;

/** Throws GazetteError E_PASSWORD for a password too short (the rule of `users passwd` and the desk alike). */
export function checkPassword(password: string): void {
  if ([...password].length < MIN_PASSWORD) {
    throw new GazetteError(`The password must have at least ${MIN_PASSWORD} characters.`, {
      code: 'E_PASSWORD',
      params: { min: MIN_PASSWORD },
    });
  }
}

// Deletes the lock only while it is still ours (one key, so one hash slot under Redis Cluster).
const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;

/** Desk accounts in Redis: one hash per user, a set of addresses. */
export function createUserStore({ redis, prefix, clock = Date.now }: StoreDeps) {
  // A user's record and the set of all users share a hash tag (they change together in a MULTI).
  const userKey = (email: string) => taggedKey(prefix, 'user', email);
  const allKey = siblingKey(prefix, 'user', 's');
  const lockKey = redisKey(prefix, 'users-lock');

  async function get(email: string): Promise<StoredUser | null> {
    const h = await redis.hgetall(userKey(email.trim().toLowerCase()));
    if (!h.email) return null;
    const parsed = StoredUser.safeParse({
      ...h,
      roles: (h.roles ?? '').split(','),
      disabled: h.disabled === '1',
    });
    return parsed.success ? parsed.data : null;
  }

  return {
    get,
    /**
     * Adds an account; throws GazetteError when the address is taken or the password too short. An
     * `invited` one gets a password nobody knows and is marked as invited until it sets its own.
     */
    async add(input: {
      email: string;
      name: string;
      roles: Role[];
      password: string;
      invited?: boolean;
    }): Promise<UserView> {
      checkPassword(input.password);
      const createdAt = new Date(clock()).toISOString();
      const user = {
        email: input.email,
        name: input.name,
        roles: input.roles.join(','),
        hash: await hashPassword(input.password),
        createdAt,
        ...(input.invited ? { invitedAt: createdAt } : {}),
      };
      const created = await redis.hsetnx(userKey(user.email), 'email', user.email);
      if (!created) {
        throw new GazetteError(`There is already a desk user ${user.email}.`, { code: 'E_USER_EXISTS' });
      }
      await redis.multi().hset(userKey(user.email), user).sadd(allKey, user.email).exec();
      const { hash: _, ...view } = user;
      return { ...view, roles: input.roles, disabled: false };
    },
    /** Every account, by address. */
    async list(): Promise<UserView[]> {
      const emails = (await redis.smembers(allKey)).sort();
      const users = await Promise.all(emails.map(get));
      return users.filter((u): u is StoredUser => u !== null).map(viewOf);
    },
    /** Applies `change` to an account; the account as it is now, or null when there is no such account. */
    async update(email: string, change: UserChange): Promise<UserView | null> {
      const user = await get(email);
      if (!user) return null;
      const fields: Record<string, string> = {};
      if (change.name !== undefined) fields.name = change.name;
      if (change.roles !== undefined) fields.roles = [...new Set(change.roles)].join(',');
      if (change.disabled !== undefined) fields.disabled = change.disabled ? '1' : '0';
      if (Object.keys(fields).length > 0) await redis.hset(userKey(user.email), fields);
      const now = await get(user.email);
      return now ? viewOf(now) : null;
    },
    /** Notes a successful sign-in of `email` now (the members page shows it). */
    async markSignedIn(email: string): Promise<void> {
      // Only an account that exists: HSET on a removed one would bring back a husk without a hash.
      if (await get(email)) await redis.hset(userKey(email), 'lastSignInAt', new Date(clock()).toISOString());
    },
    /**
     * Runs `fn` while no other server runs a guarded change of accounts (a lock key that expires after
     * 10 s): two admins demoting each other at once cannot both pass the last-admin check. Throws
     * GazetteError E_BUSY when the lock stays taken for 5 s.
     */
    async serialised<T>(fn: () => Promise<T>): Promise<T> {
      const token = randomBytes(12).toString('base64url');
      const deadline = Date.now() + 5000;
      while ((await redis.set(lockKey, token, 'PX', 10_000, 'NX')) !== 'OK') {
        if (Date.now() > deadline) {
          throw new GazetteError('Someone else is changing accounts; try again.', {
            code: 'E_ACCOUNTS_BUSY',
          });
        }
        await new Promise((r) => setTimeout(r, 25 + Math.random() * 50));
      }
      try {
        return await fn();
      } finally {
        await redis.eval(RELEASE, 1, lockKey, token);
      }
    },
    /** Removes an account; false when there was none. */
    async remove(email: string): Promise<boolean> {
      const [[, n]] = (await redis.multi().del(userKey(email)).srem(allKey, email).exec()) as [
        [Error | null, number],
      ];
      return n === 1;
    },
    /** The desk notices the account gets (all on when it never chose); null when there is no such account. */
    async notices(email: string): Promise<NoticePrefs | null> {
      const [known, off] = await redis.hmget(userKey(email), 'email', 'noticesOff');
      if (!known) return null;
      const muted = new Set((off ?? '').split(','));
      return Object.fromEntries(NOTICE_KINDS.map((k) => [k, !muted.has(k)])) as NoticePrefs;
    },
    /** Stores which desk notices the account gets; false when there is no such account. */
    async setNotices(email: string, prefs: NoticePrefs): Promise<boolean> {
      if (!(await get(email))) return false;
      const off = NOTICE_KINDS.filter((k) => !prefs[k]).join(',');
      await redis.hset(userKey(email), 'noticesOff', off);
      return true;
    },
    /** Replaces an account's password (an invited one is a member from now on); false when there is no such account. */
    async setPassword(email: string, password: string): Promise<boolean> {
      checkPassword(password);
      if (!(await get(email))) return false;
      await redis
        .multi()
        .hset(userKey(email), 'hash', await hashPassword(password))
        .hdel(userKey(email), 'invitedAt')
        .exec();
      return true;
    },
  };
}

/** The user store's interface (see createUserStore). */
export type UserStore = ReturnType<typeof createUserStore>;
