import type { AnyRedis } from '../../redis.ts';
import { FAILURE_CAUSES, type FailureCause } from '../wire/smtp-failure.ts';

/** The failures of one cause, with the relay's words, most frequent first. */
export interface FailureGroup {
  cause: FailureCause;
  count: number;
  replies: { words: string; count: number }[];
}

/** What one pass of a send did: pass 1 is the send itself, 2 and on its retries. */
export interface PassFigures {
  pass: number;
  /** When the pass began (the send's start for pass 1). */
  at: number | null;
  /** Recipients the pass set out to deliver to (the send's total for pass 1). */
  recipients: number;
  delivered: number;
  failed: number;
  skipped: number;
  failedBy: Partial<Record<FailureCause, number>>;
}

/** People's words for each cause, in `status` and `report`. */
export const CAUSE_LABEL: Record<FailureCause, string> = {
  recipient: "reader's address refused",
  relay: 'relay refused us',
  temporary: 'temporary (deferred, connection lost)',
  stalled: 'batch stopped its worker too often',
  error: 'batch failed on an error',
};

/** Groups a failures hash (`<cause>\t<words>` → count) by cause, biggest first. */
export function groupFailures(hash: Record<string, string>): FailureGroup[] {
  const groups = new Map<FailureCause, FailureGroup>();
  for (const [field, n] of Object.entries(hash)) {
    const tab = field.indexOf('\t');
    const cause = field.slice(0, tab) as FailureCause;
    if (!FAILURE_CAUSES.includes(cause)) continue;
    const group = groups.get(cause) ?? { cause, count: 0, replies: [] };
    group.count += Number(n);
    group.replies.push({ words: field.slice(tab + 1), count: Number(n) });
    groups.set(cause, group);
  }
  const all = [...groups.values()];
  for (const g of all) g.replies.sort((a, b) => b.count - a.count || a.words.localeCompare(b.words));
  return all.sort((a, b) => b.count - a.count);
}

type Counts = Record<string, string>;
const n = (c: Counts, f: string) => Number(c[f] ?? 0);

function failedBy(c: Counts): Partial<Record<FailureCause, number>> {
  const out: Partial<Record<FailureCause, number>> = {};
  for (const cause of FAILURE_CAUSES) if (n(c, `failed:${cause}`) > 0) out[cause] = n(c, `failed:${cause}`);
  return out;
}

/** A retry's failures by cause: it begins with the retryable causes at 0, `recipient` as it was. */
function retryFailedBy(start: Counts, end: Counts): Partial<Record<FailureCause, number>> {
  const out = failedBy(end);
  const earlier = n(start, 'failed:recipient');
  if (out.recipient !== undefined) out.recipient -= earlier;
  if (out.recipient === 0) delete out.recipient;
  return out;
}

/**
 * The figures of each pass of a send from the counts before each retry (`before[i]` holds the
 * counts when pass i+2 began) and the counts now. A retry's figures are what changed during it.
 */
export function passFigures(startedAt: number | null, before: Counts[], now: Counts): PassFigures[] {
  const ends = [...before, now];
  return ends.map((end, i): PassFigures => {
    if (i === 0) {
      return {
        pass: 1,
        at: startedAt,
        recipients: n(end, 'total'),
        delivered: n(end, 'delivered'),
        failed: n(end, 'failed'),
        skipped: n(end, 'skipped'),
        failedBy: failedBy(end),
      };
    }
    const start = before[i - 1] as Counts;
    const retried = n(start, 'retried');
    const kept = n(start, 'failed') - retried;
    return {
      pass: i + 1,
      at: n(start, 'at') || null,
      recipients: retried,
      delivered: n(end, 'delivered') - n(start, 'delivered'),
      failed: n(end, 'failed') - kept,
      skipped: n(end, 'skipped') - n(start, 'skipped'),
      failedBy: retryFailedBy(start, end),
    };
  });
}

/** Reads the passes of a send whose last pass is `last`. */
export async function readPasses(
  redis: AnyRedis,
  keys: { counts: string; before: (pass: number) => string },
  startedAt: number | null,
  last: number,
): Promise<PassFigures[]> {
  const before = await Promise.all(
    Array.from({ length: last - 1 }, (_, i) => redis.hgetall(keys.before(i + 2))),
  );
  return passFigures(startedAt, before, await redis.hgetall(keys.counts));
}
