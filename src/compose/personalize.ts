import { escapeUTF8 } from 'entities';
import { type CompiledIssue, PLACEHOLDER } from './compiled.ts';
import { fill } from './strings.ts';

/** One reader's own values. `name` may be empty; the greeting then addresses all readers. */
export interface Recipient {
  unsubscribeUrl: string;
  webUrl: string;
  name?: string | undefined;
}

type Slot = keyof typeof PLACEHOLDER;
const SLOT_OF = new Map<string, Slot>(
  Object.entries(PLACEHOLDER).map(([slot, marker]) => [marker, slot as Slot]),
);
const MARKERS = new RegExp(Object.values(PLACEHOLDER).join('|'), 'g');

/** A body cut at its placeholders: `pieces[i]` is followed by the value of `slots[i]`. */
interface Template {
  pieces: string[];
  slots: Slot[];
}

function cut(body: string): Template {
  const pieces: string[] = [];
  const slots: Slot[] = [];
  let last = 0;
  for (const m of body.matchAll(MARKERS)) {
    pieces.push(body.slice(last, m.index));
    slots.push(SLOT_OF.get(m[0]) as Slot);
    last = m.index + m[0].length;
  }
  pieces.push(body.slice(last));
  return { pieces, slots };
}

function join(t: Template, values: Record<Slot, string>): string {
  let out = t.pieces[0] as string;
  for (let i = 0; i < t.slots.length; i++) out += values[t.slots[i] as Slot] + (t.pieces[i + 1] as string);
  return out;
}

/**
 * Prepares a compiled issue for many recipients: the bodies are cut at their placeholders once,
 * then each call only joins the pieces with that reader's values (no MJML, no scanning).
 * Values are HTML-escaped in the html part and left as they are in the text part.
 */
export function createPersonalizer(
  compiled: CompiledIssue,
): (r: Recipient) => { html: string; text: string } {
  const html = cut(compiled.html);
  const text = cut(compiled.text);
  return (r) => {
    const name = r.name?.trim();
    const greeting = name ? fill(compiled.greeting.named, { name }) : compiled.greeting.anonymous;
    const raw = { unsubscribeUrl: r.unsubscribeUrl, webUrl: r.webUrl, greeting };
    const escaped = {
      unsubscribeUrl: escapeUTF8(r.unsubscribeUrl),
      webUrl: escapeUTF8(r.webUrl),
      greeting: escapeUTF8(greeting),
    };
    return { html: join(html, escaped), text: join(text, raw) };
  };
}

/** Personalises one message; for many recipients, call createPersonalizer once and reuse it. */
export function personalize(compiled: CompiledIssue, r: Recipient): { html: string; text: string } {
  return createPersonalizer(compiled)(r);
}
