import type { Article, Image, Issue } from '../schema.ts';
import { PLACEHOLDER_MARK } from './placeholder-mark.ts';

const todo = (what: string) => `${PLACEHOLDER_MARK} ${what}`;

/** The month after "2021-11": "2021-12"; after "2021-12": "2022-01". */
export function nextMonth(month: string): string {
  const [year, mon] = month.split('-').map(Number) as [number, number];
  return mon === 12 ? `${year + 1}-01` : `${year}-${String(mon + 1).padStart(2, '0')}`;
}

function placeholderImage(image: Image | undefined, number: number, name: string): Image | undefined {
  if (!image) return undefined;
  return {
    ...image,
    src: `images/${number}/${PLACEHOLDER_MARK}-${name}.jpg`,
    alt: todo('describe the image'),
  };
}

function placeholderArticle(was: Article, id: string, number: number): Article {
  const origin = new URL(was.url).origin;
  return {
    id,
    ...(was.category ? { category: was.category } : {}),
    title: todo('title'),
    summary: [todo('summary')],
    url: `${origin}/${PLACEHOLDER_MARK}`,
    ...(was.image ? { image: placeholderImage(was.image, number, id) } : {}),
  };
}

/**
 * The next issue after `previous` as plain issue JSON: number (default previous + 1), the next month,
 * the masthead, sections and footer kept, the ranking taken from the previous issue's clicks, the
 * footer's previous-issue link moved on by one, and every article, the subject, the preheader and
 * the photo left as `[[TODO]]` placeholders (no stale dates) that `validate` refuses until replaced.
 * With `clicked: false` (nobody has clicked `previous` yet, or it was never sent) the ranking cannot
 * come from its clicks: it starts as one item to write by hand (or to remove), not as an error.
 */
export function scaffoldIssue(
  previous: Issue,
  number = previous.number + 1,
  { clicked = true }: { clicked?: boolean } = {},
): Issue {
  // The footer's "previous issue" link names the issue before `previous`; it should now name `previous`.
  const before = new RegExp(`(?<=/)${previous.number - 1}(?=/|$|[?#.])`);
  const links = previous.footer.links.map((l) =>
    before.test(l.url) ? { ...l, url: l.url.replace(before, String(previous.number)) } : l,
  );
  return {
    number,
    month: nextMonth(previous.month),
    locale: previous.locale,
    masthead: previous.masthead,
    subject: todo(`${previous.masthead.title} No.${number}`),
    preheader: todo('one line the inbox shows after the subject'),
    lead: placeholderArticle(previous.lead, 'lead', number),
    sections: previous.sections.map((s, si) => ({
      title: s.title,
      articles: s.articles.map((a, ai) => placeholderArticle(a, `s${si + 1}-article-${ai + 1}`, number)),
    })),
    ...(previous.photo
      ? {
          photo: {
            title: todo('photo of the month'),
            image: placeholderImage(previous.photo.image, number, 'photo') as Image,
            ...(previous.photo.caption ? { caption: todo('caption') } : {}),
          },
        }
      : {}),
    ranking: {
      ...(previous.ranking?.title ? { title: previous.ranking.title } : {}),
      ...(clicked
        ? { from: previous.number, items: [] }
        : {
            items: [
              {
                title: todo('ranking item'),
                url: `${new URL(previous.lead.url).origin}/${PLACEHOLDER_MARK}`,
              },
            ],
          }),
    },
    footer: { ...previous.footer, links },
    tracking: previous.tracking,
  };
}
