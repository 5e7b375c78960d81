import { z } from 'zod';
import { GazetteError } from '../errors.ts';
import { type StoreDeps, siblingKey, taggedKey } from '../redis.ts';
import { hashPassword } from './password.ts';
import { Role } from './roles.ts';

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
});
export type StoredUser = z.infer<typeof StoredUser>;

/** An account without its hash, as lists and answers show it. */
export type UserView = Omit<StoredUser, 'hash'>;

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

function checkPassword(password: string): void {
  if ([...password].length < MIN_PASSWORD) {
    throw new GazetteError(`The password must have at least ${MIN_PASSWORD} characters.`, {
      code: 'E_PASSWORD',
    });
  }
}

/** Desk accounts in Redis: one hash per user, a set of addresses. */
export function createUserStore({ redis, prefix, clock = Date.now }: StoreDeps) {
  // A user's record and the set of all users share a hash tag (they change together in a MULTI).
  const userKey = (email: string) => taggedKey(prefix, 'user', email);
  const allKey = siblingKey(prefix, 'user', 's');

  async function get(email: string): Promise<StoredUser | null> {
    const h = await redis.hgetall(userKey(email.trim().toLowerCase()));
    if (!h.email) return null;
    const parsed = StoredUser.safeParse({ ...h, roles: (h.roles ?? '').split(',') });
    return parsed.success ? parsed.data : null;
  }

  return {
    get,
    /** Adds an account; throws GazetteError when the address is taken or the password too short. */
    async add(input: { email: string; name: string; roles: Role[]; password: string }): Promise<UserView> {
      checkPassword(input.password);
      const user = {
        email: input.email,
        name: input.name,
        roles: input.roles.join(','),
        hash: await hashPassword(input.password),
        createdAt: new Date(clock()).toISOString(),
      };
      const created = await redis.hsetnx(userKey(user.email), 'email', user.email);
      if (!created) {
        throw new GazetteError(`There is already a desk user ${user.email}.`, { code: 'E_USER_EXISTS' });
      }
      await redis.multi().hset(userKey(user.email), user).sadd(allKey, user.email).exec();
      return { email: user.email, name: user.name, roles: input.roles, createdAt: user.createdAt };
    },
    /** Every account, by address. */
    async list(): Promise<UserView[]> {
      const emails = (await redis.smembers(allKey)).sort();
      const users = await Promise.all(emails.map(get));
      return users.filter((u): u is StoredUser => u !== null).map(({ hash: _, ...view }) => view);
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
    /** Replaces an account's password; false when there is no such account. */
    async setPassword(email: string, password: string): Promise<boolean> {
      checkPassword(password);
      if (!(await get(email))) return false;
      await redis.hset(userKey(email), 'hash', await hashPassword(password));
      return true;
    },
  };
}

/** The user store's interface (see createUserStore). */
export type UserStore = ReturnType<typeof createUserStore>;
