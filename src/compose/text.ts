import { fill, formatMonth, type IssueStrings } from '../../templates/locales/chrome-strings.ts';
import type { Article, Issue } from '../issue/schema.ts';

const RULE = '━'.repeat(24);
const THIN_RULE = '─'.repeat(24);

/**
 * The plain-text part, written from the issue itself rather than converted from HTML, so that it reads
 * as a letter: headings, each article with its link, the ranking, the footer and the unsubscribe link.
 * Japanese paragraphs are not hard-wrapped (they have no spaces to break at; clients wrap them).
 */
export function issueText(
  issue: Issue,
  t: IssueStrings,
  slots: { unsubscribeUrl: string; webUrl: string; greeting: string },
): string {
  const out: string[] = [
    issue.masthead.title,
    ...(issue.masthead.tagline ? [issue.masthead.tagline] : []),
    `${formatMonth(issue.month, issue.locale)}  ${fill(t.issueNumber, { number: issue.number })}`,
    `${t.viewInBrowser}: ${slots.webUrl}`,
    RULE,
    '',
    slots.greeting,
    '',
    ...articleText(issue.lead, t),
  ];
  for (const section of issue.sections) {
    out.push(RULE, `【${section.title}】`, '');
    for (const article of section.articles) out.push(...articleText(article, t));
  }
  if (issue.photo) {
    const photo = issue.photo;
    out.push(RULE, `【${t.photoOfTheMonth}】${photo.title}`, '');
    if (photo.caption) out.push(photo.caption);
    if (photo.url) out.push(photo.url);
    out.push('');
  }
  if (issue.ranking && issue.ranking.items.length > 0) {
    out.push(RULE, `【${issue.ranking.title ?? t.ranking}】`, '');
    issue.ranking.items.forEach((item, i) => {
      out.push(`${i + 1}. ${item.title}`, `   ${item.url}`);
    });
    out.push('');
  }
  out.push(RULE, ...footerText(issue, t, slots.unsubscribeUrl));
  return `${out.join('\n')}\n`;
}

function articleText(article: Article, t: IssueStrings): string[] {
  const meta = [article.category, article.date].filter(Boolean).join(' · ');
  return [
    ...(meta ? [`[${meta}]`] : []),
    `■ ${article.title}`,
    '',
    ...article.summary.flatMap((p) => [p, '']),
    `▶ ${t.readMore}: ${article.url}`,
    '',
  ];
}

function footerText(issue: Issue, t: IssueStrings, unsubscribeUrl: string): string[] {
  const { links, contact, copyright } = issue.footer;
  const out = links.map((l) => `${l.label}: ${l.url}`);
  if (contact) {
    out.push(
      '',
      ...[contact.name, contact.address, contact.email, contact.phone].filter((v) => v !== undefined),
    );
  }
  out.push(THIN_RULE, t.whyReceived, `${t.unsubscribe}: ${unsubscribeUrl}`, '', copyright);
  return out;
}
