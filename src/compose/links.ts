import type { Issue } from '../issue/schema.ts';

/**
 * Every link in the issue by a stable id: article ids, `photo`, `ranking-1`…`ranking-5`, `footer-1`….
 * Click tracking stores this map with the send and redirects only to its URLs.
 */
export function collectLinks(issue: Issue): Record<string, string> {
  const links: Record<string, string> = { [issue.lead.id]: issue.lead.url };
  for (const section of issue.sections) for (const a of section.articles) links[a.id] = a.url;
  if (issue.photo?.url) links.photo = issue.photo.url;
  issue.ranking?.items.forEach((item, i) => {
    links[`ranking-${i + 1}`] = item.url;
  });
  issue.footer.links.forEach((link, i) => {
    links[`footer-${i + 1}`] = link.url;
  });
  return links;
}
