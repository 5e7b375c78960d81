import type { AnyRedis } from '../../redis.ts';
import { emailKey } from '../email.ts';
import type { SubscriberKeys } from '../subscriber-keys.ts';

/** Scratch data of import runs, kept in Redis so that an import of any size runs in constant memory. */
export function createImportScratch(redis: AnyRedis, keys: SubscriberKeys) {
  /**
   * Notes the addresses of one import run and, for each, returns the line where the run first saw
   * it (null for a first sighting), so that a repeated row is caught without holding the file in memory.
   */
  async function markImportRows(runId: string, rows: readonly { email: string; line: number }[]) {
    if (rows.length === 0) return [];
    const key = keys.importSeen(runId);
    const pipeline = redis.pipeline();
    for (const { email, line } of rows) pipeline.hsetnx(key, emailKey(email), line);
    pipeline.expire(key, 24 * 3600);
    const replies = (await pipeline.exec()) ?? [];
    const repeated = rows.filter((_, i) => replies[i]?.[1] !== 1);
    // Repeats are rare: only for them a second command fetches the line that came first.
    const first =
      repeated.length > 0 ? await redis.hmget(key, ...repeated.map((r) => emailKey(r.email))) : [];
    let k = 0;
    return rows.map((_, i): number | null => (replies[i]?.[1] === 1 ? null : Number(first[k++])));
  }

  return {
    markImportRows,
    /** Deletes an import run's scratch data. */
    forgetImportRun: async (runId: string): Promise<void> => {
      await redis.unlink(keys.importSeen(runId));
    },
  };
}
