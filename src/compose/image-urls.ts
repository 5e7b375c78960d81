import type { Image, Issue } from '../issue/schema.ts';

/** Returns a copy of the issue whose image sources are absolute, relative paths resolved against `publicUrl`. */
export function resolveImages(issue: Issue, publicUrl: string): Issue {
  const base = `${publicUrl.replace(/\/+$/, '')}/`;
  const abs = <T extends Image | undefined>(image: T): T =>
    image ? { ...image, src: new URL(image.src, base).href } : image;
  return {
    ...issue,
    lead: { ...issue.lead, image: abs(issue.lead.image) },
    sections: issue.sections.map((s) => ({
      ...s,
      articles: s.articles.map((a) => ({ ...a, image: abs(a.image) })),
    })),
    photo: issue.photo && { ...issue.photo, image: abs(issue.photo.image) },
  };
}
