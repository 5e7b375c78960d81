import type { CompiledIssue } from '../compose/compiled.ts';
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
}

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] as string);
}

/**
 * Each placeholder's value for one recipient, plain for the text part and escaped for the HTML
 * part: the same result as the composer's `personalize`, produced slot by slot so that the
 * message can be spliced without re-encoding whole parts. A name is flattened to one line.
 */
export function slotValues(compiled: CompiledIssue, input: SlotInput): SlotValues {
  const name = input.name ? cleanHeaderText(input.name, 100) : '';
  const greeting = name ? compiled.greeting.named.replaceAll('{name}', () => name) : compiled.greeting.anonymous;
  return {
    text: { unsubscribeUrl: input.unsubscribeUrl, webUrl: input.webUrl, greeting },
    html: {
      unsubscribeUrl: escapeHtml(input.unsubscribeUrl),
      webUrl: escapeHtml(input.webUrl),
      greeting: escapeHtml(greeting),
    },
  };
}
