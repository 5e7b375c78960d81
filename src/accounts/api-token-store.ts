import { createHash, randomBytes } from 'node:crypto';
import { z } from 'zod';
import { type StoreDeps, siblingKey, taggedKey } from '../redis.ts';
import { Role } from '../roles.ts';

/** An API token as stored and listed: never the token itself, which is shown once at creation. */
export const ApiToken = z.object({
  id: z.string(),
  name: z.string(),
  roles: z.array(Role).min(1),
  createdAt: z.string(),
  createdBy: z.string(),
});
export type ApiToken = z.infer<typeof ApiToken>;

/** Tokens carry 256 random bits, so one unsalted SHA-256 is enough to store them (no guessing to slow). */
const digest = (token: string) => createHash('sha256').update(token).digest('base64url');

const TOKEN = /^gzt_[\w-]{43}$/;

/** API tokens for `Authorization: Bearer …`: a hash per token keyed by its digest, an index by id. */
export function createApiTokenStore({ redis, prefix, clock = Date.now }: StoreDeps) {
  // A token and the index of tokens share a hash tag (they change together in a MULTI).
  const tokenKey = (d: string) => taggedKey(prefix, 'api-token', d);
  const indexKey = siblingKey(prefix, 'api-token', 's');

  async function byDigest(d: string): Promise<ApiToken | null> {
    const h = await redis.hgetall(tokenKey(d));
    const parsed = ApiToken.safeParse({ ...h, roles: (h.roles ?? '').split(',') });
    return parsed.success ? parsed.data : null;
  }

  return {
    /** Makes a token; the answer's `token` is the only copy of it there will ever be. */
    async create(input: { name: string; roles: Role[]; by: string }): Promise<ApiToken & { token: string }> {
      const token = `gzt_${randomBytes(32).toString('base64url')}`;
      const record = {
        id: `t${randomBytes(5).toString('hex')}`,
        name: input.name,
        roles: input.roles,
        createdAt: new Date(clock()).toISOString(),
        createdBy: input.by,
      };
      const d = digest(token);
      await redis
        .multi()
        .hset(tokenKey(d), { ...record, roles: record.roles.join(',') })
        .hset(indexKey, record.id, d)
        .exec();
      return { ...record, token };
    },
    /** The token's record, or null for an unknown, revoked or malformed token. */
    async verify(token: string): Promise<ApiToken | null> {
      return TOKEN.test(token) ? byDigest(digest(token)) : null;
    },
    /** Every live token, oldest first. */
    async list(): Promise<ApiToken[]> {
      const digests = Object.values(await redis.hgetall(indexKey));
      const all = await Promise.all(digests.map(byDigest));
      return all
        .filter((t): t is ApiToken => t !== null)
        .sort((a, b) => a.createdAt.localeCompare(b.createdAt));
    },
    /** Revokes the token with this id; false when there is none. */
    async revoke(id: string): Promise<boolean> {
      const d = await redis.hget(indexKey, id);
      if (!d) return false;
      await redis.multi().del(tokenKey(d)).hdel(indexKey, id).exec();
      return true;
    },
  };
}

/** The API token store's interface (see createApiTokenStore). */
export type ApiTokenStore = ReturnType<typeof createApiTokenStore>;
