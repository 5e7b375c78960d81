import { z } from 'zod';

/** Locales whose chrome strings ship in templates/locales. */
export const LOCALES = ['ja', 'en', 'ko', 'zh'] as const;
export const Locale = z.enum(LOCALES);
export type Locale = z.infer<typeof Locale>;
/** Each locale's name in its own script, as a language switcher offers it. */
export const LOCALE_NAMES: Record<Locale, string> = { ja: '日本語', en: 'English', ko: '한국어', zh: '中文' };

const LINK_MESSAGE = 'must be an https:// or http:// link';
const SPACE_MESSAGE = 'must not contain spaces or control characters (encode a space as %20)';

/**
 * White space, control and format characters: URL parsers silently drop some (tab, CR, LF) and an
 * HTTP header refuses them, so such a link would mean one thing here and another in a reader's hands.
 */
const NOT_IN_URL = /[\s\p{Cc}\p{Cf}]/u;
const inOnePiece = (v: string) => !NOT_IN_URL.test(v);

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'https:' || url.protocol === 'http:') && url.hostname !== '';
  } catch {
    return false;
  }
}

const text = z.string().trim().min(1, 'must not be empty');

/** An absolute http(s) link; `javascript:`, `data:`, `mailto:` and relative links are refused. */
export const Link = z
  .string()
  .trim()
  .refine(inOnePiece, { message: SPACE_MESSAGE, params: { code: 'spaces' } })
  .refine(isHttpUrl, { message: LINK_MESSAGE, params: { code: 'link' } });

/**
 * An image source: an absolute http(s) URL, or a path relative to PUBLIC_URL
 * (resolved when the issue is rendered, since mail clients need absolute URLs).
 */
export const ImageSrc = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .refine(inOnePiece, { message: SPACE_MESSAGE, params: { code: 'spaces' } })
  .refine((v) => isHttpUrl(v) || (!/^[a-z][a-z0-9+.-]*:/i.test(v) && !v.startsWith('//')), {
    message: 'must be an https:// or http:// URL, or a path relative to PUBLIC_URL',
    params: { code: 'image-src' },
  });

export const Image = z.strictObject({
  src: ImageSrc,
  /** Required so that every image is described; an empty string marks a decorative image. */
  alt: z.string().trim(),
  width: z.number().int().positive().max(1200).optional(),
  height: z.number().int().positive().optional(),
});
export type Image = z.infer<typeof Image>;

const Slug = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]*$/, 'must be lower-case letters, digits and hyphens (e.g. "lead-forum")');

export const Article = z.strictObject({
  id: Slug,
  title: text,
  /** Paragraphs of the summary, in order. */
  summary: z.array(text).min(1, 'must have at least one paragraph'),
  url: Link,
  image: Image.optional(),
  category: text.optional(),
  date: z.iso.date({ error: 'must be a date like 2021-11-24' }).optional(),
});
export type Article = z.infer<typeof Article>;

export const Section = z.strictObject({
  title: text,
  articles: z.array(Article).min(1, 'must have at least one article'),
});
export type Section = z.infer<typeof Section>;

export const PhotoOfTheMonth = z.strictObject({
  title: text,
  caption: text.optional(),
  image: Image,
  url: Link.optional(),
});
export type PhotoOfTheMonth = z.infer<typeof PhotoOfTheMonth>;

export const RankingItem = z.strictObject({ title: text, url: Link });
export type RankingItem = z.infer<typeof RankingItem>;

export const Ranking = z
  .strictObject({
    /** Defaults to the locale's "click ranking top 5". */
    title: text.optional(),
    /** An earlier issue's number: `build` and `send` fill the items from the clicks of its sends. */
    from: z.number().int().positive().optional(),
    /** The ranking itself, or with `from` the fallback used while there are no clicks yet. */
    items: z.array(RankingItem).max(5, 'can have at most 5 items').default([]),
  })
  .refine((r) => r.from !== undefined || r.items.length > 0, {
    path: ['items'],
    message: 'must have at least one item (or give "from": an earlier issue to rank by clicks)',
    params: { code: 'ranking-items' },
  });
export type Ranking = z.infer<typeof Ranking>;

export const FooterLink = z.strictObject({ label: text, url: Link });
export type FooterLink = z.infer<typeof FooterLink>;

export const Contact = z.strictObject({
  name: text.optional(),
  address: text.optional(),
  email: z.email({ error: 'must be an e-mail address' }).optional(),
  phone: text.optional(),
});

export const Footer = z.strictObject({
  copyright: text,
  links: z.array(FooterLink).default([]),
  contact: Contact.optional(),
});
export type Footer = z.infer<typeof Footer>;

export const Masthead = z.strictObject({
  /** The newsletter's name, e.g. "I · SEOUL · U". */
  title: text,
  /** A line under the title, e.g. the publisher. */
  tagline: text.optional(),
});

export const Issue = z
  .strictObject({
    number: z.number().int().positive(),
    /** Year and month of the issue, "2021-11". */
    month: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'must look like 2021-11'),
    locale: Locale,
    masthead: Masthead,
    subject: text,
    preheader: z.string().trim().optional(),
    lead: Article,
    sections: z.array(Section).default([]),
    photo: PhotoOfTheMonth.optional(),
    ranking: Ranking.optional(),
    footer: Footer,
    /** Click tracking for this issue's sends; on unless false (TRACKING=off turns it off everywhere). */
    tracking: z.boolean().default(true),
  })
  .superRefine((issue, ctx) => {
    const seen = new Map<string, string>();
    const articles: [Article, (string | number)[]][] = [
      [issue.lead, ['lead']],
      ...issue.sections.flatMap((s, si) =>
        s.articles.map((a, ai): [Article, (string | number)[]] => [a, ['sections', si, 'articles', ai]]),
      ),
    ];
    for (const [article, path] of articles) {
      const first = seen.get(article.id);
      if (first) {
        ctx.addIssue({
          code: 'custom',
          path: [...path, 'id'],
          message: `"${article.id}" is already used by ${first}; article ids must be unique`,
          params: { code: 'duplicate-id', id: article.id, firstPath: first },
        });
      } else seen.set(article.id, formatPath(path));
    }
  });
export type Issue = z.infer<typeof Issue>;

/** Formats a zod path the way editors read JSON: `sections[1].articles[0].url`. */
export function formatPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((out, key) => {
    if (typeof key === 'number') return `${out}[${key}]`;
    return out === '' ? String(key) : `${out}.${String(key)}`;
  }, '');
}
