import { escapeUTF8 } from 'entities';
import { type CompiledIssue, linkSlot } from '../compose/compiled.ts';
import { fill } from '../compose/strings.ts';
import { cleanHeaderText } from './header-text.ts';

/** The text spliced into each placeholder of the text part and of the HTML part. */
export interface SlotValues {
  text: Record<string, string>;
  html: Record<string, string>;
}

/** What a recipient contributes to the body. */
export interface SlotInput {
  unsubscribeUrl: string;
  webUrl: string;
  name?: string | undefined;
  /** Click URLs by link id, for a tracked issue. */
  links?: Record<string, string> | undefined;
}

/** A subscriber's name as it may appear anywhere in a message: one line, no control characters. */
export function cleanName(name: string | undefined): string {
  return name ? cleanHeaderText(name, 100) : '';
}

/**
 * Each placeholder's value for one recipient, plain for the text part and escaped for the HTML
 * part: what the composer's `personalize` puts there for the same (cleaned) name, produced slot
 * by slot so that the message is spliced without re-encoding whole parts.
 */
export function slotValues(compiled: CompiledIssue, input: SlotInput): SlotValues {
  const name = cleanName(input.name);
  const greeting = name ? fill(compiled.greeting.named, { name }) : compiled.greeting.anonymous;
  const values: SlotValues = {
    text: { unsubscribeUrl: input.unsubscribeUrl, webUrl: input.webUrl, greeting },
    html: {
      unsubscribeUrl: escapeUTF8(input.unsubscribeUrl),
      webUrl: escapeUTF8(input.webUrl),
      greeting: escapeUTF8(greeting),
    },
  };
  if (input.links) {
    // Click URLs are PUBLIC_URL (a parsed URL) plus a token of [a-z0-9_.-]: nothing to escape but `&`.
    for (const [id, url] of Object.entries(input.links)) {
      values.text[linkSlot(id)] = url;
      values.html[linkSlot(id)] = url.includes('&') ? escapeUTF8(url) : url;
    }
  }
  return values;
}
