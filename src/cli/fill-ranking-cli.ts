import { createClickStore } from '../clicks/click-store.ts';
import { fillRanking } from '../clicks/fill-ranking.ts';
import type { Issue } from '../issue/schema.ts';
import { createSendStore } from '../send/send-store.ts';
import { withStore } from './with-store.ts';

/**
 * Fills an issue's ranking from the clicks of an earlier issue (`"ranking": {"from": N}`), opening
 * Redis only then: issues without `from` are returned as they are, with no connection made.
 */
export async function fillRankingFromRedis(issue: Issue, note: (msg: string) => void): Promise<Issue> {
  if (issue.ranking?.from === undefined) return issue;
  return withStore(({ config, redis }) => {
    const prefix = config.REDIS_PREFIX;
    const deps = {
      sends: createSendStore({ redis, prefix }),
      clicks: createClickStore({ redis, prefix }),
      note,
    };
    return fillRanking(deps, issue);
  });
}
