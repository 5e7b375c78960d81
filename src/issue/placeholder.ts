import { formatPath, type Image, type Issue } from './schema.ts';

/** Marks text `gazette new` left for the editor to write; `validate` refuses an issue that still has one. */
export const PLACEHOLDER_MARK = '[[TODO]]';

/** The JSON path of every string in `data` that still holds the placeholder mark, in file order. */
export function placeholderPaths(data: unknown, path: (string | number)[] = []): string[] {
  if (typeof data === 'string') return data.includes(PLACEHOLDER_MARK) ? [formatPath(path)] : [];
  if (Array.isArray(data)) return data.flatMap((v, i) => placeholderPaths(v, [...path, i]));
  if (data && typeof data === 'object') {
    return Object.entries(data).flatMap(([k, v]) => placeholderPaths(v, [...path, k]));
  }
  return [];
}

/** A grey box of the image's size marked [[TODO]], as an SVG data URI (the preview's CSP allows data:). */
function standInSrc(image: Image): string {
  const w = image.width ?? 600;
  const h = image.height ?? Math.round(w / 2);
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}">` +
    `<rect width="100%" height="100%" fill="#e4e4e7" stroke="#71717a" stroke-dasharray="6 4"/>` +
    `<text x="50%" y="50%" fill="#3f3f46" font-family="sans-serif" font-size="16" text-anchor="middle" dominant-baseline="middle">${PLACEHOLDER_MARK}</text></svg>`;
  return `data:image/svg+xml,${encodeURIComponent(svg)}`;
}

/**
 * The issue for a preview: each image whose source still holds the placeholder drawn as a grey box of
 * its size, so the preview shows where the image goes instead of asking the server for a file that
 * does not exist. Only for previews; the checks still list those sources as placeholders.
 */
export function withStandInImages(issue: Issue): Issue {
  const swap = <T extends Image | undefined>(image: T): T =>
    image?.src.includes(PLACEHOLDER_MARK) ? { ...image, src: standInSrc(image) } : image;
  return {
    ...issue,
    lead: { ...issue.lead, ...(issue.lead.image ? { image: swap(issue.lead.image) } : {}) },
    sections: issue.sections.map((s) => ({
      ...s,
      articles: s.articles.map((a) => (a.image ? { ...a, image: swap(a.image) } : a)),
    })),
    ...(issue.photo ? { photo: { ...issue.photo, image: swap(issue.photo.image) } } : {}),
  };
}
