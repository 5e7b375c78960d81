import type { Article, Issue } from './schema.ts';

/** The month after "2021-11" ("2021-12"); after "2021-12", "2022-01". */
export function nextMonth(month: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
}

const undated = ({ date: _, ...article }: Article): Article => article;

/**
 * The next issue scaffolded from `prev`: number `number` (prev + 1 unless given), the next month,
 * the same masthead, sections, articles (a starting point to edit) and footer, every article's date
 * dropped (no stale dates), the ranking ranking `prev`'s clicks (build and send fill it), and a footer
 * link to `prev` in the web archive.
 */
export function scaffoldIssue(
  prev: Issue,
  opts: { publicUrl: string; number?: number; label?: string },
): Issue {
  const archive = `${opts.publicUrl.replace(/\/+$/, '')}/archive/${prev.number}`;
  return {
    ...prev,
    number: opts.number ?? prev.number + 1,
    month: nextMonth(prev.month),
    lead: undated(prev.lead),
    sections: prev.sections.map((s) => ({ ...s, articles: s.articles.map(undated) })),
    ranking: {
      ...(prev.ranking?.title ? { title: prev.ranking.title } : {}),
      from: prev.number,
      items: prev.ranking?.items ?? [],
    },
    footer: {
      ...prev.footer,
      links: [
        ...prev.footer.links.filter((l) => !/\/archive\/\d+$/.test(l.url)),
        ...(opts.label ? [{ label: opts.label, url: archive }] : []),
      ],
    },
  };
}
