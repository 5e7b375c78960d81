import { z } from 'zod';
import { redisKey, type StoreDeps } from '../redis.ts';

/** One state change: who (`user`: an e-mail, `token:<name>` or `cli:<login>`), what, to which thing, when. */
export const AuditEntry = z.object({
  at: z.string(),
  user: z.string(),
  action: z.string(),
  target: z.string(),
});
export type AuditEntry = z.infer<typeof AuditEntry>;

/** Entries older than this go (kept at least 3 years, as the desk's audit promises, plus a month's margin). */
export const AUDIT_RETENTION_MS = Math.round((3 * 365.25 + 31) * 24 * 3600_000);

/** The audit log: one Redis stream whose entry ids are the times, so a `since` is a range read. */
export function createAuditLog({ redis, prefix, clock = Date.now }: StoreDeps) {
  const key = redisKey(prefix, 'audit');
  return {
    /** Appends an entry stamped now, trimming what is past the retention. */
    async record(entry: Omit<AuditEntry, 'at'>): Promise<void> {
      const now = clock();
      await redis.xadd(
        key,
        'MINID',
        '~',
        String(now - AUDIT_RETENTION_MS),
        '*',
        'user',
        entry.user,
        'action',
        entry.action,
        'target',
        entry.target,
      );
    },
    /** Entries at or after `since` (ms), oldest first, at most `limit`. */
    async since(since: number, limit = 1000): Promise<AuditEntry[]> {
      const rows = await redis.xrange(key, String(Math.max(0, Math.floor(since))), '+', 'COUNT', limit);
      return rows.map(([id, fields]) => {
        const f = Object.fromEntries(
          fields.flatMap((_, i) => (i % 2 === 0 ? [[fields[i], fields[i + 1]]] : [])),
        ) as Record<string, string>;
        const at = new Date(Number(id.split('-')[0])).toISOString();
        return { at, user: f.user ?? '', action: f.action ?? '', target: f.target ?? '' };
      });
    },
  };
}

/** The audit log's interface (see createAuditLog). */
export type AuditLog = ReturnType<typeof createAuditLog>;
