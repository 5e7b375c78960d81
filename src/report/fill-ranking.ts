import type { ClickStore, LinkClicks } from '../clicks/click-store.ts';
import { rankArticles } from '../clicks/ranking.ts';
import type { CompiledArticle } from '../compose/compiled.ts';
import { GazetteError } from '../errors.ts';
import type { Issue, Locale } from '../issue/schema.ts';
import type { SendRecord, SendStore } from '../send/record/send-store.ts';

/** What filling a ranking reads. */
export interface FillRankingDeps {
  sends: Pick<SendStore, 'ids' | 'get' | 'compiled'>;
  clicks: Pick<ClickStore, 'forSend'>;
  /** Where the "no clicks yet, using the items given" note goes. */
  note: (message: string) => void;
}

/** How many recent sends are searched for the earlier issue's sends. */
const SEND_SCAN = 10_000;

/**
 * The clicks of every real (non-test) send of issue `number`, readers of every edition together
 * (an article's link id is the same in each), and the articles of its latest send: in `locale`'s
 * edition where that send has one (an article it leaves out keeps the default edition's words).
 */
export async function clicksOfIssue(
  deps: Pick<FillRankingDeps, 'sends' | 'clicks'>,
  number: number,
  locale?: Locale,
): Promise<{ sends: number; articles: CompiledArticle[]; clicks: LinkClicks[] }> {
  const ids = await deps.sends.ids(SEND_SCAN);
  const records = await Promise.all(ids.map((id) => deps.sends.get(id)));
  const mine = records.filter((r) => r !== null && r.issue === number && !r.testTo);
  if (mine.length === 0) return { sends: 0, articles: [], clicks: [] };
  // Newest first: the latest send's compiled issue names the articles (they are the same in each).
  const latest = mine[0] as SendRecord;
  const base = (await deps.sends.compiled(latest.id)).articles;
  const translated =
    locale && latest.editions?.slice(1).includes(locale)
      ? new Map((await deps.sends.compiled(latest.id, locale)).articles.map((a) => [a.id, a]))
      : undefined;
  const articles = translated ? base.map((a) => translated.get(a.id) ?? a) : base;
  const all = await Promise.all(mine.map((r) => deps.clicks.forSend(r?.id as string)));
  return { sends: mine.length, articles, clicks: all.flatMap((c) => c.links) };
}

/** True when issue `number` has clicks on its articles to rank (sent, and someone clicked an article). */
export async function hasArticleClicks(
  deps: Pick<FillRankingDeps, 'sends' | 'clicks'>,
  number: number,
): Promise<boolean> {
  const data = await clicksOfIssue(deps, number);
  return rankArticles(data.articles, data.clicks).length > 0;
}

/**
 * Fills `ranking.items` of an issue whose ranking names an earlier issue (`"from": 200`) with the five
 * most-clicked articles of that issue's sends. Without click data it notes so and keeps the items
 * given; with none given it throws a GazetteError saying what to do. Other issues come back unchanged.
 */
export async function fillRanking(deps: FillRankingDeps, issue: Issue): Promise<Issue> {
  const ranking = issue.ranking;
  if (ranking?.from === undefined) return issue;
  const from = ranking.from;
  const data = await clicksOfIssue(deps, from, issue.locale);
  const ranked = rankArticles(data.articles, data.clicks);
  if (ranked.length > 0) {
    return { ...issue, ranking: { ...ranking, items: ranked.map(({ title, url }) => ({ title, url })) } };
  }
  const why =
    data.sends === 0
      ? `issue ${from} has not been sent yet`
      : `nobody has clicked an article of issue ${from} yet (${data.sends} send(s))`;
  if (ranking.items.length === 0) {
    throw new GazetteError(
      `ranking.from: ${why}, and the ranking lists no items to fall back on; add "items" to the ranking or remove "from".`,
      { code: 'E_RANKING' },
    );
  }
  deps.note(`note: ranking.from: ${why}; using the ${ranking.items.length} item(s) given in the issue.`);
  return issue;
}
