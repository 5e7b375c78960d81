import { z } from 'zod';
import { redisKey, type StoreDeps } from '../redis.ts';

/** The longest comment kept (characters); a comment is plain text, shown escaped. */
export const MAX_COMMENT = 4000;

/** Events kept per edition: the oldest go, so a flood of comments cannot grow one key without bound. */
export const MAX_EVENTS = 1000;

/** What happened to an edition besides its saves (those are its revisions). */
export const IssueEventKind = z.enum(['review', 'changes', 'approve', 'comment', 'schedule']);
export type IssueEventKind = z.infer<typeof IssueEventKind>;

/** One event: when (epoch ms), who (the audit log's caller id), what, and the words of a comment. */
export const IssueEvent = z.object({
  at: z.number(),
  by: z.string(),
  kind: IssueEventKind,
  text: z.string().optional(),
  /** The send a `schedule` event made. */
  sendId: z.string().optional(),
});
export type IssueEvent = z.infer<typeof IssueEvent>;

/**
 * The conversation around an edition (review requests, change requests, approvals, comments,
 * schedules), one Redis list beside the issue's own keys, oldest first, capped at MAX_EVENTS.
 */
export function createIssueEvents({ redis, prefix, clock = Date.now }: StoreDeps) {
  const key = (n: number, locale: string) => redisKey(prefix, 'issue', n, locale, 'events');
  return {
    /** Appends an event stamped now; a comment longer than MAX_COMMENT is refused by the caller first. */
    async add(n: number, locale: string, event: Omit<IssueEvent, 'at'>): Promise<IssueEvent> {
      const stored = IssueEvent.parse({ ...event, at: clock() });
      await redis
        .multi()
        .rpush(key(n, locale), JSON.stringify(stored))
        .ltrim(key(n, locale), -MAX_EVENTS, -1)
        .exec();
      return stored;
    },
    /** Every kept event of the edition, oldest first (rows that do not parse are skipped). */
    async list(n: number, locale: string): Promise<IssueEvent[]> {
      const rows = await redis.lrange(key(n, locale), 0, -1);
      return rows.flatMap((r) => {
        const parsed = IssueEvent.safeParse(JSON.parse(r));
        return parsed.success ? [parsed.data] : [];
      });
    },
  };
}

/** The issue events' interface (see createIssueEvents). */
export type IssueEvents = ReturnType<typeof createIssueEvents>;
