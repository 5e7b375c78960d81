import type { LinkClicks } from './click-store.ts';

/** An article of a sent issue, in the order it appeared. */
export interface RankableArticle {
  id: string;
  title: string;
  url: string;
}

/**
 * The five most-clicked articles: by unique readers (one reader clicking again and again must not
 * lift an article), ties broken by total clicks, then by the article's place in the issue. Links that are not articles (footer, photo, ranking) never rank;
 * articles nobody clicked are left out. `clicks` may sum several sends of the same issue. Only people's
 * clicks count: machine clicks (LinkClicks.machine) are not read.
 */
export function rankArticles(
  articles: RankableArticle[],
  clicks: Pick<LinkClicks, 'linkId' | 'total' | 'unique'>[],
  top = 5,
): RankableArticle[] {
  const byId = new Map<string, { total: number; unique: number }>();
  for (const c of clicks) {
    const sum = byId.get(c.linkId) ?? { total: 0, unique: 0 };
    byId.set(c.linkId, { total: sum.total + c.total, unique: sum.unique + c.unique });
  }
  return articles
    .map((article, order) => ({ article, order, ...(byId.get(article.id) ?? { total: 0, unique: 0 }) }))
    .filter((a) => a.unique > 0)
    .sort((a, b) => b.unique - a.unique || b.total - a.total || a.order - b.order)
    .slice(0, top)
    .map((a) => a.article);
}
