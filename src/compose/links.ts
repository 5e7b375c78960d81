import type { Issue } from '../issue/schema.ts';

/** What a reader sees of each link in `collectLinks`, by the same ids: the article or photo title, the ranking title, the footer label. */
export function collectLinkTitles(issue: Issue): Record<string, string> {
  const titles: Record<string, string> = { [issue.lead.id]: issue.lead.title };
  for (const section of issue.sections) for (const a of section.articles) titles[a.id] = a.title;
  if (issue.photo?.url) titles[builtInLinkId('photo')] = issue.photo.title;
  for (const [i, item] of (issue.ranking?.items ?? []).entries()) {
    titles[builtInLinkId(`ranking-${i + 1}`)] = item.title;
  }
  for (const [i, link] of issue.footer.links.entries()) titles[builtInLinkId(`footer-${i + 1}`)] = link.label;
  return titles;
}

/**
 * The link id of a link the template adds (`photo`, `ranking-1`, `footer-1`…): `_`-prefixed, a
 * namespace article ids (lower-case letters, digits and hyphens, never starting with `_`) cannot
 * enter, so no article can take the place of the photo's or a footer's link.
 */
export function builtInLinkId(name: string): string {
  return `_${name}`;
}

/**
 * Every link in the issue by a stable id: article ids, then `_photo`, `_ranking-1`…`_ranking-5`,
 * `_footer-1`…. Click tracking stores this map with the send and redirects only to its URLs.
 */
export function collectLinks(issue: Issue): Record<string, string> {
  const links: Record<string, string> = { [issue.lead.id]: issue.lead.url };
  for (const section of issue.sections) for (const a of section.articles) links[a.id] = a.url;
  if (issue.photo?.url) links[builtInLinkId('photo')] = issue.photo.url;
  issue.ranking?.items.forEach((item, i) => {
    links[builtInLinkId(`ranking-${i + 1}`)] = item.url;
  });
  issue.footer.links.forEach((link, i) => {
    links[builtInLinkId(`footer-${i + 1}`)] = link.url;
  });
  return links;
}
