/** One link to mark on the issue: where it leads and the share to write on it ("42.9%"). */
export interface ShareMark {
  url: string;
  label: string;
}

const OUTLINE = 'outline:3px solid #c2410c;outline-offset:2px';
const BADGE =
  'display:inline-block;background:#9a3412;color:#fff;font:bold 13px/1.4 sans-serif;padding:1px 7px;' +
  'border-radius:9px;margin:2px 4px;text-decoration:none;vertical-align:middle';

/**
 * Draws each link's share on the issue in `doc`: every anchor leading to a marked URL is outlined
 * (an image link, its image), and one of them, a text link where there is one (an article is often
 * linked from its image, its title and a button), gets a badge with the share as its last child.
 * A link already marked is left alone, so it is safe to run again on the same document.
 */
export function markShares(doc: Document, marks: ShareMark[]): void {
  const anchors = [...doc.querySelectorAll<HTMLAnchorElement>('a[href]')];
  for (const mark of marks) {
    const href = URL.canParse(mark.url) ? new URL(mark.url).href : '';
    const links = anchors.filter((a) => href && a.href === href);
    if (links.length === 0 || links.some((a) => a.querySelector('[data-share]'))) continue;
    for (const a of links) {
      // An image link's anchor is a thin inline box under a block image: outline the image instead.
      const target = a.querySelector('img') ?? a;
      target.setAttribute('style', `${target.getAttribute('style') ?? ''};${OUTLINE}`);
    }
    const badge = doc.createElement('span');
    badge.dataset.share = mark.label;
    badge.textContent = mark.label;
    badge.setAttribute('style', BADGE);
    (links.find((a) => !a.querySelector('img')) ?? links[0])?.append(badge);
  }
}
