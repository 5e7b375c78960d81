import { formatPath, type Image, type Issue } from '../schema.ts';
import { isPlaceholder, PLACEHOLDER_MARK } from './placeholder-mark.ts';

/** The JSON path of every string in `data` that still holds the placeholder mark, in file order. */
export function placeholderPaths(data: unknown, path: (string | number)[] = []): string[] {
  if (typeof data === 'string') return data.includes(PLACEHOLDER_MARK) ? [formatPath(path)] : [];
  if (Array.isArray(data)) return data.flatMap((v, i) => placeholderPaths(v, [...path, i]));
  if (data && typeof data === 'object') {
    return Object.entries(data).flatMap(([k, v]) => placeholderPaths(v, [...path, k]));
  }
  return [];
}

/** A grey box of the image's size, as an SVG data URI (the preview's CSP allows data:). */
function standInSrc(image: Image): string {
  const w = image.width ?? 600;
  const h = image.height ?? Math.round(w / 2);
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}">` +
    `<rect width="100%" height="100%" fill="#e4e4e7" stroke="#71717a" stroke-dasharray="6 4"/></svg>`;
  return `data:image/svg+xml,${encodeURIComponent(svg)}`;
}

/** `data` with every text still holding the placeholder emptied; links keep theirs (they must parse). */
function blankTexts<T>(data: T, key = ''): T {
  if (typeof data === 'string') return (isPlaceholder(data) && key !== 'url' ? '' : data) as T;
  if (Array.isArray(data)) return data.map((v) => blankTexts(v, key)) as T;
  if (data && typeof data === 'object') {
    return Object.fromEntries(Object.entries(data).map(([k, v]) => [k, blankTexts(v, k)])) as T;
  }
  return data;
}

/**
 * The issue for a preview: each image whose source still holds the placeholder drawn as a grey box of
 * its size (rather than asking the server for a file that does not exist), and each text still to be
 * written left empty, as the desk's form shows it. Only for previews; the checks still list them all.
 */
export function withStandIns(issue: Issue): Issue {
  const swap = <T extends Image | undefined>(image: T): T =>
    image?.src.includes(PLACEHOLDER_MARK) ? { ...image, src: standInSrc(image) } : image;
  return blankTexts({
    ...issue,
    lead: { ...issue.lead, ...(issue.lead.image ? { image: swap(issue.lead.image) } : {}) },
    sections: issue.sections.map((s) => ({
      ...s,
      articles: s.articles.map((a) => (a.image ? { ...a, image: swap(a.image) } : a)),
    })),
    ...(issue.photo ? { photo: { ...issue.photo, image: swap(issue.photo.image) } } : {}),
  });
}
