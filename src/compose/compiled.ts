import { z } from 'zod';
import { Locale } from '../issue/schema.ts';

/**
 * Markers the compiled issue carries where each recipient's own values go. They are plain ASCII
 * that MJML, HTML minification and quoted-printable leave alone, and no editor text can contain
 * them by accident (the renderer refuses an issue that does).
 */
export const PLACEHOLDER = {
  unsubscribeUrl: '%%GZ_UNSUBSCRIBE_URL%%',
  webUrl: '%%GZ_WEB_URL%%',
  greeting: '%%GZ_GREETING%%',
} as const;

/** The marker of one tracked link (by link id); each recipient gets their own click URL there. */
export function linkPlaceholder(linkId: string): string {
  return `%%GZ_LINK_${linkId}%%`;
}

/** The slot name a tracked link's value goes under in slot values and part templates. */
export function linkSlot(linkId: string): string {
  return `link:${linkId}`;
}

/**
 * The link id of the hidden link every tracked message carries (the "trap"): no person can see or
 * reach it, so a request for it comes from a machine following every link (src/clicks/machine-rules.ts).
 * `_`-prefixed like the template's own links (src/compose/links.ts), and never in `links`: it leads nowhere.
 */
export const TRAP_LINK = '_trap';

/** The link ids a tracked message carries a click URL for: every link of the issue and the hidden trap link. */
export function trackedLinkIds(compiled: Pick<CompiledIssue, 'links' | 'tracked'>): string[] {
  return compiled.tracked ? [...Object.keys(compiled.links), TRAP_LINK] : [];
}

/** An article of a compiled issue, kept so that a later issue can rank it by clicks. */
export const CompiledArticle = z.object({ id: z.string(), title: z.string(), url: z.string() });
export type CompiledArticle = z.infer<typeof CompiledArticle>;

/** The result of compiling one issue once: everything a send needs, stored with the send. */
export const CompiledIssue = z.object({
  number: z.number().int(),
  month: z.string(),
  locale: Locale,
  subject: z.string(),
  preheader: z.string(),
  html: z.string(),
  text: z.string(),
  mjml: z.string(),
  /** Every link in the issue by id (article ids, `_photo`, `_ranking-1`…, `_footer-1`…), for click tracking. */
  links: z.record(z.string(), z.string()),
  /** What each link says to a reader (article title, photo title, ranking title, footer label), by link id. */
  linkTitles: z.record(z.string(), z.string()).default({}),
  /** True when html and text carry a link placeholder for every entry of `links` (click tracking on). */
  tracked: z.boolean().default(false),
  /** The articles in issue order (lead first); sends compiled before tracking existed have none. */
  articles: z.array(CompiledArticle).default([]),
  /** Greeting lines in the issue's locale; `{name}` marks where the recipient's name goes. */
  greeting: z.object({ named: z.string(), anonymous: z.string() }),
});
export type CompiledIssue = z.infer<typeof CompiledIssue>;
