import { randomBytes } from 'node:crypto';
import addressparser from 'nodemailer/lib/addressparser';
import {
  type CompiledIssue,
  linkPlaceholder,
  linkSlot,
  PLACEHOLDER,
  trackedLinkIds,
} from '../../compose/compiled.ts';
import type { SlotValues } from '../../compose/personalize.ts';
import { oneLine } from '../../text/one-line.ts';
import { encodePhrase, formatMailbox, headerLine, isSafeAddress } from './header-text.ts';
import { compilePart, type PartTemplate, renderPart } from './mime-part.ts';

/** What a send's message looks like for everyone: set once when the template is built. */
export interface MessageOptions {
  /** `MAIL_FROM`, e.g. `Gazette <newsletter@example.com>`. */
  from: string;
  /** The list's name, used in `List-Id` and `Feedback-ID`. */
  list: string;
  /** The send's id, used in `Feedback-ID`. */
  sendId: string;
  /** Put before the subject (`[TEST] ` for a test send). */
  subjectPrefix?: string;
}

/** A send's message compiled once: static header and body bytes with holes for each recipient. */
export interface MessageTemplate {
  /** The domain of the From address; Message-IDs and List-Id live there. */
  domain: string;
  head: Buffer;
  afterTo: Buffer;
  afterMessageId: Buffer;
  text: PartTemplate;
  betweenParts: Buffer;
  html: PartTemplate;
  tail: Buffer;
}

/** One recipient's values, all computed by the caller (tokens, links, greeting). */
export interface MessageRecipient {
  email: string;
  name?: string;
  /** Unique per recipient and send, without angle brackets. */
  messageId: string;
  unsubscribeUrl: string;
  unsubscribeMailto: string;
  /** The VERP envelope sender. */
  returnPath: string;
  slots: SlotValues;
}

/** A ready message for nodemailer: `raw` bytes plus the explicit envelope. */
export interface RenderedMessage {
  raw: Buffer;
  envelope: { from: string; to: string[] };
  messageId: string;
}

/** Every placeholder of a compiled issue by slot name: the fixed ones, and one per link (and the trap) when tracked. */
function markersOf(compiled: CompiledIssue): Record<string, string> {
  const markers: Record<string, string> = { ...PLACEHOLDER };
  for (const id of trackedLinkIds(compiled)) markers[linkSlot(id)] = linkPlaceholder(id);
  return markers;
}
/** Our own values (ids, tokens, URLs) never hold whitespace, controls or angle brackets. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is the point
const UNSAFE_IN_HEADER = /[\s<>\u0000-\u001f\u007f]/;

/** MAIL_FROM's display name (the newsletter's name in the reader's inbox), or '' when it has none. */
export function senderName(from: string): string {
  return addressparser(from, { flatten: true })[0]?.name ?? '';
}

/** Splits MAIL_FROM into a display name and an address; throws if the address is unusable. */
function parseFrom(from: string): { name: string; address: string } {
  const [first] = addressparser(from, { flatten: true });
  if (!first || !isSafeAddress(first.address)) {
    throw new Error(`MAIL_FROM "${from}" does not hold a usable e-mail address`);
  }
  return { name: first.name, address: first.address };
}

/** A dot-atom label for List-Id and Feedback-ID built from any text. */
function label(text: string): string {
  return (
    text
      .toLowerCase()
      .replace(/[^a-z0-9-]+/g, '-')
      .replace(/^-+|-+$/g, '') || 'list'
  );
}

/**
 * Builds the message template of a send: headers shared by every recipient, and the text and
 * HTML parts encoded once with holes for the placeholders. Throws if MAIL_FROM is unusable.
 */
export function buildMessageTemplate(compiled: CompiledIssue, opts: MessageOptions): MessageTemplate {
  const from = parseFrom(opts.from);
  const domain = (from.address.split('@')[1] as string).toLowerCase();
  const boundary = `----gz-${randomBytes(12).toString('hex')}`;
  const listLabel = label(opts.list);
  const subject = `${opts.subjectPrefix ?? ''}${compiled.subject}`;
  const head = headerLine('From', formatMailbox(from.name, from.address));
  const afterTo = headerLine('Subject', encodePhrase(subject));
  const afterMessageId = [
    'MIME-Version: 1.0\r\n',
    headerLine('List-Id', `${encodePhrase(oneLine(opts.list, 60))} <${listLabel}.${domain}>`),
    // RFC 8058: with this, a POST to the List-Unsubscribe https URI unsubscribes at once.
    'List-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n',
    headerLine('Feedback-ID', `${label(opts.sendId)}:${listLabel}:gazette:${label(domain)}`),
    `Content-Type: multipart/alternative;\r\n boundary="${boundary}"\r\n`,
  ].join('');
  const markers = markersOf(compiled);
  const text = compilePart(compiled.text, markers);
  const html = compilePart(compiled.html, markers);
  const partHeader = (type: string, part: PartTemplate) =>
    `--${boundary}\r\nContent-Type: ${type}; charset=utf-8\r\nContent-Transfer-Encoding: ${part.encoding}\r\n\r\n`;
  return {
    domain,
    head: Buffer.from(head),
    afterTo: Buffer.from(afterTo),
    afterMessageId: Buffer.from(`${afterMessageId}\r\n${partHeader('text/plain', text)}`),
    text,
    betweenParts: Buffer.from(`\r\n${partHeader('text/html', html)}`),
    html,
    tail: Buffer.from(`\r\n--${boundary}--\r\n`),
  };
}

let dateCache = { second: -1, value: '' };

/** RFC 5322 date in UTC (`Tue, 01 Dec 2026 00:00:00 +0000`), formatted once a second. */
function mailDate(now: number): string {
  const second = Math.floor(now / 1000);
  if (dateCache.second !== second) {
    dateCache = { second, value: new Date(second * 1000).toUTCString().replace('GMT', '+0000') };
  }
  return dateCache.value;
}

/**
 * Splices one recipient into the template: a few header lines and the slot values, copied
 * around the prebuilt bytes. Throws if the recipient's address is not a plain, safe address
 * (the caller skips such a recipient rather than let it reach a header or the envelope).
 */
export function renderMessage(tpl: MessageTemplate, r: MessageRecipient, now = Date.now()): RenderedMessage {
  if (!isSafeAddress(r.email)) throw new Error(`"${oneLine(r.email, 80)}" is not a usable address`);
  for (const value of [r.messageId, r.unsubscribeUrl, r.unsubscribeMailto, r.returnPath]) {
    if (UNSAFE_IN_HEADER.test(value)) throw new Error(`"${oneLine(value, 80)}" cannot go in a header`);
  }
  const to = headerLine('To', formatMailbox(r.name, r.email));
  const rest = [
    `Date: ${mailDate(now)}\r\n`,
    `Message-ID: <${r.messageId}>\r\n`,
    headerLine('List-Unsubscribe', `<${r.unsubscribeUrl}>, <${r.unsubscribeMailto}>`),
  ].join('');
  const chunks: Buffer[] = [tpl.head, Buffer.from(to, 'latin1'), tpl.afterTo, Buffer.from(rest, 'latin1')];
  chunks.push(tpl.afterMessageId);
  renderPart(tpl.text, r.slots.text, chunks);
  chunks.push(tpl.betweenParts);
  renderPart(tpl.html, r.slots.html, chunks);
  chunks.push(tpl.tail);
  return {
    raw: Buffer.concat(chunks),
    envelope: { from: r.returnPath, to: [r.email] },
    messageId: `<${r.messageId}>`,
  };
}
