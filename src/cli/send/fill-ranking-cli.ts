import type { Issue } from '../../issue/schema.ts';
import { fillRanking } from '../../report/fill-ranking.ts';
import { withGazette } from '../with-gazette.ts';

/**
 * Fills an issue's ranking from the clicks of an earlier issue (`"ranking": {"from": N}`), opening
 * Redis only then: issues without `from` are returned as they are, with no connection made.
 */
export async function fillRankingFromRedis(issue: Issue, note: (msg: string) => void): Promise<Issue> {
  if (issue.ranking?.from === undefined) return issue;
  return withGazette((g) => fillRanking({ sends: g.sends, clicks: g.clicks, note }, issue));
}
