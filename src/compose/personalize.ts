import { escapeUTF8 } from 'entities';
import { type CompiledIssue, PLACEHOLDER } from './compiled.ts';
import { fill } from './strings.ts';

/** One reader's own values. `name` may be empty; the greeting then addresses all readers. */
export interface Recipient {
  unsubscribeUrl: string;
  webUrl: string;
  name?: string | undefined;
  /** Click URLs by link id; a tracked link without one gets the link's own URL. */
  links?: Record<string, string> | undefined;
}

type Slot = keyof typeof PLACEHOLDER;
const SLOT_OF = new Map<string, Slot>(
  Object.entries(PLACEHOLDER).map(([slot, marker]) => [marker, slot as Slot]),
);
const LINK_MARKER = '%%GZ_LINK_([a-z0-9-]+)%%';
const MARKERS = new RegExp([...Object.values(PLACEHOLDER), LINK_MARKER].join('|'), 'g');

/** A hole in a body: one of the fixed slots, or a tracked link by id. */
type Hole = { slot: Slot } | { link: string };

/** A body cut at its placeholders: `pieces[i]` is followed by the value of `holes[i]`. */
interface Template {
  pieces: string[];
  holes: Hole[];
}

function cut(body: string): Template {
  const pieces: string[] = [];
  const holes: Hole[] = [];
  let last = 0;
  for (const m of body.matchAll(MARKERS)) {
    pieces.push(body.slice(last, m.index));
    holes.push(m[1] ? { link: m[1] } : { slot: SLOT_OF.get(m[0]) as Slot });
    last = m.index + m[0].length;
  }
  pieces.push(body.slice(last));
  return { pieces, holes };
}

function join(t: Template, values: Record<Slot, string>, link: (id: string) => string): string {
  let out = t.pieces[0] as string;
  for (let i = 0; i < t.holes.length; i++) {
    const hole = t.holes[i] as Hole;
    out += ('slot' in hole ? values[hole.slot] : link(hole.link)) + (t.pieces[i + 1] as string);
  }
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
    const link = (id: string) => r.links?.[id] ?? compiled.links[id] ?? '';
    return { html: join(html, escaped, (id) => escapeUTF8(link(id))), text: join(text, raw, link) };
  };
}

/** Personalises one message; for many recipients, call createPersonalizer once and reuse it. */
export function personalize(compiled: CompiledIssue, r: Recipient): { html: string; text: string } {
  return createPersonalizer(compiled)(r);
}
