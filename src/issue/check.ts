import { z } from 'zod';
import { MessageParams } from './message-code.ts';
import { formatPath, type Image, type Issue } from './schema.ts';

/** One finding about an issue, as `gazette check`, the preview and the desk's `/checks` show it. */
export const Check = z.object({
  id: z.string(),
  level: z.enum(['error', 'warning']),
  /** What was found, as a code each face words in its language (`message` is the English words). */
  code: z.string(),
  params: MessageParams,
  message: z.string(),
  /** JSON path of the field concerned, in `gazette validate`'s words. */
  path: z.string().optional(),
});
export type Check = z.infer<typeof Check>;

/** Every image of an issue with the JSON path of its `src`. */
export function imagesOf(issue: Issue): { path: string; image: Image }[] {
  const out: { path: string; image: Image }[] = [];
  const add = (image: Image | undefined, path: (string | number)[]) => {
    if (image) out.push({ path: formatPath([...path, 'image', 'src']), image });
  };
  add(issue.lead.image, ['lead']);
  for (const [si, s] of issue.sections.entries()) {
    for (const [ai, a] of s.articles.entries()) add(a.image, ['sections', si, 'articles', ai]);
  }
  add(issue.photo?.image, ['photo']);
  return out;
}

/** Every link an editor wrote (articles, photo, ranking, footer) with its JSON path. */
export function linksOf(issue: Issue): { path: string; url: string }[] {
  const out = [{ path: 'lead.url', url: issue.lead.url }];
  for (const [si, s] of issue.sections.entries()) {
    for (const [ai, a] of s.articles.entries()) {
      out.push({ path: formatPath(['sections', si, 'articles', ai, 'url']), url: a.url });
    }
  }
  if (issue.photo?.url) out.push({ path: 'photo.url', url: issue.photo.url });
  for (const [i, item] of (issue.ranking?.items ?? []).entries()) {
    out.push({ path: `ranking.items[${i}].url`, url: item.url });
  }
  for (const [i, link] of issue.footer.links.entries())
    out.push({ path: `footer.links[${i}].url`, url: link.url });
  return out;
}

/** True for an image source that names a file beside the issue rather than a URL. */
export function isLocalSrc(src: string): boolean {
  return !/^https?:\/\//i.test(src);
}
