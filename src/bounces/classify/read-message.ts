import { type AddressObject, type HeaderValue, type ParsedMail, simpleParser } from 'mailparser';
import { normalizeAddress } from './address.ts';
import { parseHeaderBlock } from './field-groups.ts';

/** The parts of a (possible) bounce that the classifier reads, decoded to Unicode with LF line ends. */
export interface BounceMessage {
  /** The sender's address as written ('' when absent), and its display name. */
  from: { address: string; name: string };
  to: string[];
  subject: string;
  /** The report-type parameter of a multipart/report ('' otherwise), lower case. */
  reportType: string;
  /** Lower-cased header name → values as strings (address headers as their text). */
  header(name: string): string[];
  /** The human-readable text: every inline text/plain part, or the HTML as text when there is none. */
  text: string;
  /**
   * Bodies of message/delivery-status and message/global-delivery-status parts (RFC 3464, RFC 6533), and of
   * the text/delivery-status some hand-made reports write instead.
   */
  deliveryStatus: string[];
  /** Bodies of message/feedback-report parts (RFC 5965). */
  feedbackReports: string[];
  /**
   * The returned message or its headers (message/rfc822, text/rfc822-headers and their global forms, the
   * singular text/rfc822-header some reporters write, or a text/plain file that starts with its headers), or ''.
   */
  returned: string;
}

const DSN_TYPES = new Set([
  'message/delivery-status',
  'message/global-delivery-status',
  'text/delivery-status',
]);
const RETURNED_TYPES = new Set([
  'message/rfc822',
  'message/global',
  'text/rfc822-headers',
  'text/rfc822-header',
  'message/global-headers',
]);

/**
 * The simpleParser options: keep the DSN as its own part rather than merged into the text, and skip the
 * HTML/link conversions the classifier never reads (they cost more than the parse).
 */
export const PARSER_OPTIONS = {
  keepDeliveryStatus: true,
  skipHtmlToText: true,
  skipTextToHtml: true,
  skipTextLinks: true,
  skipImageLinks: true,
  // Issue 17: a bounce has a few parts and a few KB of headers; a message with more is refused by the
  // parser (it throws) before it has cost much. A bounce with its returned message fits well within both.
  maxHeadSize: 64 * 1024,
  maxChildNodes: 100,
} as const;

/**
 * Parses a raw message with mailparser (MIME, transfer encodings, charsets such as ISO-2022-JP and
 * Shift_JIS) after making CR-only line ends into LF, which mailparser does not split on, and dropping the
 * white space a relay may add at line ends where mailparser would not ignore it.
 * A string is taken as the message's UTF-8 text. Throws only what mailparser throws.
 */
export async function readMessage(raw: Buffer | string): Promise<BounceMessage> {
  const mail = await simpleParser(
    withoutTransportPadding(withLineFeeds(typeof raw === 'string' ? Buffer.from(raw, 'utf8') : raw)),
    PARSER_OPTIONS,
  );
  const deliveryStatus: string[] = [];
  const feedbackReports: string[] = [];
  let returned = '';
  let returnedFile = '';
  for (const part of mail.attachments) {
    const type = part.contentType.toLowerCase();
    const body = part.content.subarray(0, MAX_TEXT).toString('utf8');
    if (DSN_TYPES.has(type)) deliveryStatus.push(body);
    else if (type === 'message/feedback-report') feedbackReports.push(body);
    else if (!returned && RETURNED_TYPES.has(type)) returned = body;
    else if (!returnedFile && type === 'text/plain') returnedFile = headedMessage(body.trimStart(), false);
  }
  // A multipart message whose boundaries are missing parses to nothing: read its body as text then.
  const bodyText =
    !mail.text?.trim() && !mail.html && mail.attachments.length === 0 ? rawBody(raw) : humanText(mail);
  // A feedback report's original sent as a text/plain part that is not marked as an attachment is in the text.
  returned ||= returnedFile || (feedbackReports.length > 0 ? headedMessage(bodyText, true) : '');
  const reportType = reportTypeOf(mail);
  const from = firstAddress(mail.from);
  if (feedbackReports.length === 0) {
    const appleOptOut = headerStrings(mail.headers.get('x-apple-unsubscribe')).some((v) =>
      /^\s*true\b/i.test(v),
    );
    const inline =
      appleOptOut && from.address
        ? optOutReport(from.address)
        : inlineFeedbackReport(bodyText, returned, reportType, mail.subject ?? '');
    if (inline) feedbackReports.push(inline);
  }
  return {
    from: { address: normalizeAddress(from.address) || from.address, name: from.name },
    to: addresses(mail.to),
    subject: mail.subject ?? '',
    reportType,
    header: (name) => headerStrings(mail.headers.get(name)),
    text: bodyText,
    deliveryStatus,
    feedbackReports,
    returned,
  };
}

/** An RFC 5965 field block written into the text instead of its own part (hand-made reports). */
const INLINE_FEEDBACK = /^Feedback-Type:[^\S\n]*[a-z]/im;
/** Microsoft's JMRP complaint: no report part, the reader's address in a header of the returned message. */
const JMRP_RECIPIENT = /^X-HmXmrOriginalRecipient:[^\S\n]*<?([^\s<>]{1,320})/im;
/** The subject of Microsoft's and Amazon SES's complaint mail without a report part ("complaint about message from 192.0.2.1"). */
const COMPLAINT_SUBJECT = /^complaint about message from\b/i;
/**
 * The opening sentence of an abuse report written for people (RFC 5965 §2's human-readable part: "This is an email
 * abuse report for an email message received from IP …", Abusix's "This is an autogenerated email abuse complaint").
 */
const ABUSE_REPORT_TEXT = /^[^\S\n]*this is an?\b[^\n]{0,80}\bemail abuse (?:report|complaint)\b/im;

/**
 * The feedback report of a complaint that has no message/feedback-report part: the report fields in the text
 * (from the Feedback-Type line on), a JMRP report's recipient as the one field that matters, or nothing at all in
 * a message that says it is a feedback report (its report-type, a complaint subject, an abuse report's opening
 * sentence with the message returned): the reader is then the returned message's To; '' for anything else.
 */
function inlineFeedbackReport(text: string, returned: string, reportType: string, subject: string): string {
  const at = INLINE_FEEDBACK.exec(text);
  if (at) return text.slice(at.index);
  const jmrp = JMRP_RECIPIENT.exec(returned) ?? JMRP_RECIPIENT.exec(text);
  if (jmrp) return `Feedback-Type: abuse\nOriginal-Rcpt-To: ${jmrp[1]}\n`;
  const says =
    reportType === 'feedback-report' ||
    (returned !== '' && (COMPLAINT_SUBJECT.test(subject) || ABUSE_REPORT_TEXT.test(text.slice(0, 4096))));
  return says ? 'Feedback-Type: abuse\n' : '';
}

/**
 * Apple Mail's unsubscribe by mail (RFC 2369's mailto, marked `X-Apple-Unsubscribe: true`): the reader writes
 * from their own address to say they want no more, which RFC 5965's vocabulary calls an `opt-out` report.
 */
function optOutReport(reader: string): string {
  return `Feedback-Type: opt-out\nUser-Agent: Apple Mail\nOriginal-Rcpt-To: ${reader}\n`;
}

/** A header field at the start of a line that a message's header block opens with. */
const HEADER_START =
  /^(?:Return-Path|Received|From|To|Message-ID|Subject|Date|DKIM-Signature|MIME-Version):/im;

/**
 * A message written out as text (an original attached as a plain-text file, or with `anywhere` pasted below a
 * report's words): from its first header line on, when that header block names a To; '' otherwise.
 */
function headedMessage(text: string, anywhere: boolean): string {
  const start = HEADER_START.exec(text.slice(0, MAX_TEXT));
  if (!start || (!anywhere && start.index > 0)) return '';
  const message = text.slice(start.index);
  return parseHeaderBlock(message).has('to') ? message : '';
}

/** The body of a raw message as text (after the first blank line), LF line ends, at most MAX_TEXT. */
function rawBody(raw: Buffer | string): string {
  const text = (
    typeof raw === 'string' ? raw.slice(0, 2 * MAX_TEXT) : raw.subarray(0, 2 * MAX_TEXT).toString('utf8')
  ).replace(/\r\n?/g, '\n');
  const start = text.indexOf('\n\n');
  return start < 0 ? '' : text.slice(start + 2, start + 2 + MAX_TEXT);
}

/** CR-only messages (old Mac MTAs, some carriers) become LF; anything with an LF is left as it is. */
function withLineFeeds(raw: Buffer): Buffer {
  if (raw.includes(0x0a) || !raw.includes(0x0d)) return raw;
  const out = Buffer.from(raw);
  for (let i = 0; i < out.length; i++) if (out[i] === 0x0d) out[i] = 0x0a;
  return out;
}

/**
 * `raw` without the spaces and tabs at the end of two kinds of line, where RFC 2046 §5.1.1 (transport padding
 * after a boundary) and RFC 2045 §6.7 (white space after a quoted-printable soft line break) say a relay may add
 * them and a reader must ignore them, and mailparser does not: a line that starts with `--` (a boundary
 * delimiter, which it would not recognise), and one whose last other character is `=` (a soft line break, which it
 * would decode as text). Elsewhere such white space is either ignored already or part of the text. Linear.
 */
function withoutTransportPadding(raw: Buffer): Buffer {
  const kept: Buffer[] = [];
  let from = 0;
  for (let start = 0; start < raw.length; ) {
    const lf = raw.indexOf(0x0a, start);
    const next = lf < 0 ? raw.length : lf + 1;
    const end = lf > start && raw[lf - 1] === 0x0d ? lf - 1 : lf < 0 ? raw.length : lf;
    let trimmed = end;
    while (trimmed > start && (raw[trimmed - 1] === 0x20 || raw[trimmed - 1] === 0x09)) trimmed--;
    const delimiter = raw[start] === 0x2d && raw[start + 1] === 0x2d;
    if (trimmed < end && (delimiter || (trimmed > start && raw[trimmed - 1] === 0x3d))) {
      kept.push(raw.subarray(from, trimmed));
      from = end;
    }
    start = next;
  }
  if (from === 0) return raw;
  kept.push(raw.subarray(from));
  return Buffer.concat(kept);
}

/**
 * How much human-readable text (and of each report part) is read: the failure report is at the top (the
 * longest of the real-bounce corpus is 6 KB), and a bound keeps a hostile body from costing more than a
 * normal bounce.
 */
const MAX_TEXT = 64 * 1024;

function humanText(mail: ParsedMail): string {
  let text = (mail.text ?? '').slice(0, MAX_TEXT);
  if (!text.trim() && typeof mail.html === 'string') text = htmlAsText(mail.html.slice(0, MAX_TEXT));
  // Old carrier bounces send ISO-2022-JP without declaring a charset; mailparser then leaves the escapes in.
  if (text.includes('\x1b$B') || text.includes('\x1b$@')) {
    text = new TextDecoder('iso-2022-jp').decode(Buffer.from(text, 'latin1'));
  }
  return text.replace(/\r\n?/g, '\n');
}

/** Just enough HTML-to-text for reading a diagnostic: block ends become line breaks, tags go, entities decode. */
function htmlAsText(html: string): string {
  return (
    withoutElements(html, ['script', 'style', 'head'])
      .replace(/<br\s*\/?>|<\/(?:p|div|tr|li|h\d|table|blockquote)\s*>/gi, '\n')
      // A tag ends at the next `<` too: an unclosed `<` must not make every later `<` scan to the end.
      .replace(/<[^<>]*>/g, '')
      .replace(/&nbsp;/gi, ' ')
      .replace(/&lt;/gi, '<')
      .replace(/&gt;/gi, '>')
      .replace(/&quot;/gi, '"')
      .replace(/&#(\d+);/g, (_, n: string) => String.fromCodePoint(Number(n)))
      .replace(/&amp;/gi, '&')
  );
}

/**
 * `html` without the named elements and their content, in one linear pass (a backtracking regex is
 * quadratic on unclosed tags); an element left open runs to the end.
 */
function withoutElements(html: string, names: readonly string[]): string {
  const lower = html.toLowerCase();
  const open = new RegExp(`<(${names.join('|')})\\b`, 'g');
  let out = '';
  let from = 0;
  for (let m = open.exec(lower); m; m = open.exec(lower)) {
    out += html.slice(from, m.index);
    const close = lower.indexOf(`</${m[1]}`, open.lastIndex);
    if (close < 0) return out;
    from = lower.indexOf('>', close) + 1 || html.length;
    open.lastIndex = from;
  }
  return out + html.slice(from);
}

function reportTypeOf(mail: ParsedMail): string {
  const ct = mail.headers.get('content-type');
  if (ct && typeof ct === 'object' && 'params' in ct) {
    return String((ct.params as Record<string, string>)['report-type'] ?? '').toLowerCase();
  }
  return '';
}

function firstAddress(value: AddressObject | AddressObject[] | undefined): { address: string; name: string } {
  const first = (Array.isArray(value) ? value[0] : value)?.value[0];
  return { address: first?.address ?? '', name: first?.name ?? '' };
}

function addresses(value: AddressObject | AddressObject[] | undefined): string[] {
  const objects = value === undefined ? [] : Array.isArray(value) ? value : [value];
  return objects.flatMap((o) => o.value.map((a) => normalizeAddress(a.address ?? ''))).filter(Boolean);
}

function headerStrings(value: HeaderValue | undefined): string[] {
  if (value === undefined) return [];
  const values = Array.isArray(value) ? value : [value];
  return values.map((v) => {
    if (typeof v === 'string') return v;
    if (v instanceof Date) return v.toISOString();
    if ('text' in v) return v.text;
    return 'value' in v ? String(v.value) : '';
  });
}

/** The most lines, and the longest line, of human-readable text that the rules read (issue 17). */
const MAX_LINES = 2000;
const MAX_LINE = 2000;

/**
 * `text` cut to its first MAX_LINES lines, each cut to MAX_LINE characters, in one linear pass: what a
 * pattern reads is then bounded whatever a hostile message holds (one 200,000-character line, or
 * 100,000 empty ones). A real bounce's lines are far shorter (the longest in the corpus is 677
 * characters, outside Amazon SES's JSON, which is read before the cut).
 * Spaces and tabs at line ends go too: a relay may add them (RFC 2045 §6.7), and a pattern that reads a line
 * to its end must not depend on them.
 */
export function shortLines(text: string): string {
  const lines = text.split('\n', MAX_LINES);
  return lines
    .map((line) => withoutTrailingBlanks(line.length > MAX_LINE ? line.slice(0, MAX_LINE) : line))
    .join('\n');
}

/** `line` without the spaces and tabs at its end; a loop, as `[ \t]+$` would retry every run of blanks inside. */
function withoutTrailingBlanks(line: string): string {
  let end = line.length;
  while (end > 0 && (line[end - 1] === ' ' || line[end - 1] === '\t')) end--;
  return end === line.length ? line : line.slice(0, end);
}
