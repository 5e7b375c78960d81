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
  /** Every link in the issue by id (article ids, `photo`, `ranking-1`…, `footer-1`…), for click tracking. */
  links: z.record(z.string(), z.string()),
  /** Greeting lines in the issue's locale; `{name}` marks where the recipient's name goes. */
  greeting: z.object({ named: z.string(), anonymous: z.string() }),
});
export type CompiledIssue = z.infer<typeof CompiledIssue>;
