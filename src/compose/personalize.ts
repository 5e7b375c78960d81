import { escapeUTF8 } from 'entities';
import { fill } from '../../templates/locales/chrome-strings.ts';
import { oneLine } from '../text/one-line.ts';
import { type CompiledIssue, linkSlot, PLACEHOLDER } from './compiled.ts';

/** One reader's own values. `name` may be empty; the greeting then addresses all readers. */
export interface Recipient {
  unsubscribeUrl: string;
  webUrl: string;
  name?: string | undefined;
  /** Click URLs by link id; a tracked link without one gets the link's own URL. */
  links?: Record<string, string> | undefined;
}

/** The text spliced into each placeholder, plain for the text part and escaped for the HTML part, by slot name. */
export interface SlotValues {
  text: Record<string, string>;
  html: Record<string, string>;
}

/**
 * Each placeholder's value for one reader: the fixed slots (unsubscribeUrl, webUrl, greeting) and,
 * for a tracked issue, one `link:<id>` slot per click URL given. Used by the personaliser below and by
 * the sender, which splices the same values into its pre-encoded MIME parts.
 */
export function slotValues(compiled: CompiledIssue, r: Recipient): SlotValues {
  const name = oneLine(r.name ?? '', 100);
  const greeting = name ? fill(compiled.greeting.named, { name }) : compiled.greeting.anonymous;
  const values: SlotValues = {
    text: { unsubscribeUrl: r.unsubscribeUrl, webUrl: r.webUrl, greeting },
    html: {
      unsubscribeUrl: escapeUTF8(r.unsubscribeUrl),
      webUrl: escapeUTF8(r.webUrl),
      greeting: escapeUTF8(greeting),
    },
  };
  for (const [id, url] of Object.entries(r.links ?? {})) {
    values.text[linkSlot(id)] = url;
    values.html[linkSlot(id)] = escapeUTF8(url);
  }
  return values;
}

const SLOT_OF = new Map<string, string>(Object.entries(PLACEHOLDER).map(([slot, marker]) => [marker, slot]));
const LINK_MARKER = '%%GZ_LINK_([a-z0-9_-]+)%%';
const MARKERS = new RegExp([...Object.values(PLACEHOLDER), LINK_MARKER].join('|'), 'g');

/** A body cut at its placeholders: `pieces[i]` is followed by the value of slot `slots[i]`. */
interface Template {
  pieces: string[];
  slots: string[];
}

function cut(body: string): Template {
  const pieces: string[] = [];
  const slots: string[] = [];
  let last = 0;
  for (const m of body.matchAll(MARKERS)) {
    pieces.push(body.slice(last, m.index));
    slots.push(m[1] ? linkSlot(m[1]) : (SLOT_OF.get(m[0]) as string));
    last = m.index + m[0].length;
  }
  pieces.push(body.slice(last));
  return { pieces, slots };
}

function join(t: Template, values: Record<string, string>, fallback: (slot: string) => string): string {
  let out = t.pieces[0] as string;
  for (let i = 0; i < t.slots.length; i++) {
    const slot = t.slots[i] as string;
    out += (values[slot] ?? fallback(slot)) + (t.pieces[i + 1] as string);
  }
  return out;
}

/**
 * Prepares a compiled issue for many recipients: the bodies are cut at their placeholders once,
 * then each call only joins the pieces with that reader's values (no MJML, no scanning).
 * A tracked link the reader has no click URL for gets the link's own URL.
 */
export function createPersonalizer(
  compiled: CompiledIssue,
): (r: Recipient) => { html: string; text: string } {
  const html = cut(compiled.html);
  const text = cut(compiled.text);
  const ownUrl = (slot: string) => compiled.links[slot.slice('link:'.length)] ?? '';
  return (r) => {
    const values = slotValues(compiled, r);
    return {
      html: join(html, values.html, (slot) => escapeUTF8(ownUrl(slot))),
      text: join(text, values.text, ownUrl),
    };
  };
}

/** Personalises one message; for many recipients, call createPersonalizer once and reuse it. */
export function personalize(compiled: CompiledIssue, r: Recipient): { html: string; text: string } {
  return createPersonalizer(compiled)(r);
}
