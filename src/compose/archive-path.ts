/**
 * The web archive's page of an issue: `/archive/<n>` for its default edition, `/archive/<n>/<locale>`
 * for another (docs/architecture.md, "Editions"). The reader's "view in browser" link and the
 * archive's own pages, links and redirects all follow this one rule.
 */
export function archivePath(number: number, edition?: string): string {
  return edition ? `/archive/${number}/${edition}` : `/archive/${number}`;
}
