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
 * (an image link, its image) and gets a badge with the share as its last child (below the image
 * of an image link). Anchors already marked are left alone, so it is safe to run again on the same document.
 */
export function markShares(doc: Document, marks: ShareMark[]): void {
  const anchors = [...doc.querySelectorAll<HTMLAnchorElement>('a[href]')];
  for (const mark of marks) {
    const href = URL.canParse(mark.url) ? new URL(mark.url).href : '';
    if (!href) continue;
    for (const a of anchors) {
      if (a.href !== href || a.querySelector('[data-share]')) continue;
      const badge = doc.createElement('span');
      badge.dataset.share = mark.label;
      badge.textContent = mark.label;
      badge.setAttribute('style', BADGE);
      // An image link's anchor is a thin inline box under a block image: outline the image instead.
      const target = a.querySelector('img') ?? a;
      target.setAttribute('style', `${target.getAttribute('style') ?? ''};${OUTLINE}`);
      a.append(badge);
    }
  }
}
