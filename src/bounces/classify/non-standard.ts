import { ADDRESS_IN_TEXT, ADDRESSES_IN_TEXT, normalizeAddress } from './address.ts';
import { field, parseHeaderBlock } from './field-groups.ts';
import type { BounceMessage } from './read-message.ts';

/** One recipient found in a bounce written for people, with the text about it. */
export interface TextFailure {
  recipient: string;
  /** The lines about this recipient (address line included), LF-separated. */
  text: string;
}

/** Local parts (and display names) that bounces come from: RFC 5321 §4.5.1 postmaster, MTAs' daemons. */
const DAEMON_LOCAL =
  /^(?:mailer-daemon|mailer_daemon|mail-daemon|mailerdaemon|post[_.-]?master|mail-delivery-subsystem|double-bounce|mdaemon|mmdf)$/i;
const DAEMON_NAME =
  /\bmail(?:er)?[- ]?daemon\b|\bmail delivery (?:system|subsystem|service)\b|\bpostmaster\b|\bmail administrator\b|\binternet mail delivery\b|\bcourier mail server\b/i;

const BOUNCE_SUBJECT =
  /undeliver|delivery (?:status notification|failure|failed|has failed|problem)|returned (?:mail|to sender)|mail delivery failed|failure notice|non-?deliver|could not (?:be )?deliver|mail system error|not delivered|mail delivery status|\bmail failure\b|^warning: message \S{1,64} delayed|^message \S{1,64} frozen|配信(?:エラー|失敗|不能)|不達|送信エラー|エラーメール|エラー通知/i;

/** A bounce subject as MTAs write it, at the very start of the subject (an auto-reply quotes the original after its own). */
const BOUNCE_SUBJECT_START =
  /^(?:undeliver|delivery (?:status notification|failure|failed|has failed|problem)|returned mail|mail delivery failed|failure notice|non-?delivery|mail system error)/i;

/** A mailing list's own administrative address (fml's `list-admin`, `owner-list`, `list-request`). */
const LIST_ADMIN = /-(?:admin|owner|request)$|^owner-/i;

/** Out-of-office and vacation replies (RFC 3834 Auto-Submitted, and the headers and subjects clients use). */
const AUTO_REPLY_SUBJECT =
  /^(?:auto(?:matic)?[ -]?(?:reply|response)|out of (?:the )?office|autoreply|vacation|away from|absence|自動(?:応答|返信))/i;

/**
 * Where the list of failed recipients starts, for the MTAs that write one for people: qmail, Yahoo,
 * Exim, Zoho, Sendmail, Exchange 2003/2007+, legacy Gmail, Postfix, au (KDDI, EZweb), and a Japanese catch-all.
 */
const START_MARKERS: readonly RegExp[] = [
  /I'm afraid I wasn't able to deliver your message/i,
  // Exim's and Zoho's "This message was created automatically by mail delivery software." and what follows it.
  /This message was created automatically by mail delivery software/i,
  /could not be delivered to one or more of its\s+recip/i,
  // OpenSMTPD, a Sendmail transcript, SES's mailed bounce, Courier and Sun Messaging Server, Domino, Gmail's newer
  // notice and its delay warning.
  /An error has occurred while attempting to deliver a message|A message is delayed for more than/i,
  /-{3,} ?Transcript of session follows/i,
  /An error occurred while trying to deliver the mail to the following recipients|^The following message to </i,
  /Your message (?:to the following recipients cannot be delivered|cannot be delivered to the following recipients)/i,
  /was not delivered to:\s*$/i,
  /\bwasn'?t delivered to\b|Delivery to the following recipients? has been delayed/i,
  /unable to deliver your message to the following address/i,
  /following address(?:\(es\)|es)? failed/i,
  /following (?:list of )?recipients?(?: addresses)?:?\s*$/i,
  /did not reach the following recipient/i,
  /following addresses had (?:permanent fatal errors|transient non-fatal errors|delivery problems)/i,
  // DragonFly Mail Agent, Gmail's newer notice.
  /There was (?:a problem|an error) delivering (?:your|the) (?:message|mail) to/i,
  /Delivery has failed to these recipients or groups/i,
  /following recipient\(s\) (?:could not|cannot) be reached/i,
  /Delivery to the following recipients? failed/i,
  /This is the mail system at host/i,
  /^Your mail (?:sent on|attempted to be delivered on)/i,
  /^(?:The user\(s\) |Your message |Each of the following)/i,
  /配信(?:でき|に失敗)|届けることができ|送信できませんでした|お届けできませんでした/,
];

/** Where the returned original message (or its headers) starts: nothing below is about the failure. */
const END_MARKERS: readonly RegExp[] = [
  /^\s*-+ ?(?:This is a copy|Below this line is a copy|Enclosed are the original|Original message|Forwarded message|The original message|Returned message|Unsent message)/i,
  /^\s*(?:Original message headers|Original message follows|Message headers follow|Content-Type: message\/rfc822|Below is a copy of the original message)/i,
  /^(?:Received|Return-Path|Message-ID|DKIM-Signature):/i,
  // A forwarded bounce quotes the returned message too; its own quoted header has no Received or Return-Path.
  /^>[>\s]*(?:Received|Return-Path):/i,
  /^\s*[-=]+\s*(?:元の|原文|オリジナル)|^以下(?:、|は)?元の(?:メール|メッセージ)/,
];

/**
 * A line that names a failed recipient: the address first, bare or in <>, after an optional label (Sun
 * Messaging Server writes "Recipient address:" and "Original address:").
 */
const ADDRESS_LINE = new RegExp(
  `^\\s*(?:(?:Recipient(?: address)?|Original address|Could not be delivered to|Original-Recipient|Failed recipient|RCPT TO)\\s*:\\s*)?[<"]?(${ADDRESS_IN_TEXT.source})[>"]?(?=\\s*$|\\s*:|\\s*\\(|\\s+on\\b|\\.{3}|,)`,
  'i',
);

/**
 * True when the message claims to be a bounce: a daemon sender, a null Return-Path, a list server's notice
 * from its admin address, a multipart/report of delivery status (RFC 3464, hand-made ones from any sender),
 * Exim's X-Failed-Recipients or a bounce subject, and it is not an auto-reply from
 * a person (RFC 3834).
 */
export function looksLikeBounce(msg: BounceMessage): boolean {
  // Exim's X-Failed-Recipients is written on bounces only, and Exim marks its bounces Auto-Submitted: auto-replied.
  if (fromDaemon(msg) || msg.header('x-failed-recipients').length > 0) return true;
  // RFC 3834's auto-replied also marks Postfix's and Exim's bounces: with a subject that starts as a bounce's does
  // ("Mail delivery failed", "Undeliverable:", "Returned mail:") it is one, not a person's out-of-office reply.
  const bounceSubject = BOUNCE_SUBJECT_START.test(msg.subject);
  const autoReply =
    (msg.header('auto-submitted').some((v) => /auto-replied/i.test(v)) && !bounceSubject) ||
    msg.header('x-autoreply').length > 0 ||
    msg.header('x-autorespond').length > 0 ||
    msg.header('precedence').some((v) => /auto_reply/i.test(v)) ||
    AUTO_REPLY_SUBJECT.test(msg.subject);
  if (autoReply) return false;
  return (
    nullReturnPath(msg) ||
    fromListServer(msg) ||
    msg.reportType === 'delivery-status' ||
    BOUNCE_SUBJECT.test(msg.subject)
  );
}

/** True when the message comes from a mail system's own daemon or postmaster (by address or display name). */
export function fromDaemon(msg: BounceMessage): boolean {
  return DAEMON_LOCAL.test(msg.from.address.split('@')[0] ?? '') || DAEMON_NAME.test(msg.from.name);
}

/**
 * True when a mail system sent the message rather than a person, by its sender or envelope whatever its subject:
 * a daemon or postmaster, Exim's X-Failed-Recipients, a null envelope sender (RFC 5321 §4.5.5, which bounces and
 * RFC 3834 auto-replies are sent with and a newsletter never is), a mailing-list server's notice.
 */
export function fromMailSystem(msg: BounceMessage): boolean {
  return (
    fromDaemon(msg) ||
    msg.header('x-failed-recipients').length > 0 ||
    nullReturnPath(msg) ||
    fromListServer(msg)
  );
}

function nullReturnPath(msg: BounceMessage): boolean {
  // Trimmed first: three adjacent `\s*` would try every split of a long run of spaces (issue 17).
  return msg.header('return-path').some((v) => /^<?\s*>?$/.test(v.trim()));
}

/** A mailing-list server (fml) answering a post from its admin address: the list refused the message. */
function fromListServer(msg: BounceMessage): boolean {
  return msg.header('x-mlserver').length > 0 && LIST_ADMIN.test(msg.from.address.split('@')[0] ?? '');
}

const MAX_PREAMBLE = 4096;

/** What the human-readable text of a bounce says. */
export interface TextBounce {
  failures: TextFailure[];
  /** The text above the first failed address; some MTAs (EZweb) state the reason once there. */
  preamble: string;
  /** True when a known MTA's "these recipients failed" line was found, so the addresses below it are failures. */
  marked: boolean;
}

/**
 * Finds the failed recipients in a bounce's human-readable text: each line that starts with an address opens
 * that recipient's block (a second mention adds to it), the following lines are its text, and the copy of the
 * original message is cut off. Addresses in `exclude` (the bounce's From) are never recipients, those in `own`
 * (its To) only when a known MTA's failure list names no other.
 * With Exim's X-Failed-Recipients, only those addresses count, and each is reported even when the text never
 * lists it. A notice that names no address at all (iMail's "unreachable for too long") is about the
 * recipient of the returned message: the To of `returned` (its headers), else of the copy below the text.
 */
export function extractFailures(
  text: string,
  opts: {
    exclude: readonly string[];
    own: readonly string[];
    failedRecipients: readonly string[];
    returned: string;
  },
): TextBounce {
  const lines = text.split('\n');
  const endAt = lines.findIndex((l) => END_MARKERS.some((m) => m.test(l)));
  const body = endAt >= 0 ? lines.slice(0, endAt) : lines;
  // A heading may wrap ("The following address(es)\nfailed:"), so each line is read with the next.
  const markedAt = body.findIndex((l, i) =>
    START_MARKERS.some((m) => m.test(l) || m.test(`${l} ${body[i + 1] ?? ''}`)),
  );
  const exclude = new Set(opts.exclude.map((a) => a.toLowerCase()));
  const own = new Set(opts.own.map((a) => a.toLowerCase()));
  const listed = opts.failedRecipients.map(normalizeAddress).filter(Boolean);
  const only = new Set(listed.map((a) => a.toLowerCase()));
  const from = body.slice(Math.max(0, markedAt));
  const accept = (key: string) => !exclude.has(key) && (only.size === 0 || only.has(key));
  let found = addressBlocks(from, (key) => accept(key) && !own.has(key));
  // A failure list that names only the bounce's own addressee: a copy sent to the failed address itself.
  if (found.blocks.size === 0 && markedAt >= 0 && listed.length === 0) found = addressBlocks(from, accept);
  const { blocks } = found;
  let { preamble } = found;
  // Recipients named inside sentences; when some are, the preamble is only what no recipient owns.
  const byMention = (within: readonly string[], skip: ReadonlySet<string>) => {
    const unowned = mentioned(within, skip, blocks);
    if (blocks.size > 0) preamble = unowned;
  };
  if (blocks.size === 0 && listed.length === 0) byMention(body, new Set([...exclude, ...own]));
  // A failure heading that names only the bounce's own addressee in a sentence (DMA's "There was an error
  // delivering your mail to <a@b>." for mail a host sent to itself): that address failed.
  if (blocks.size === 0 && markedAt >= 0 && listed.length === 0) byMention(from, exclude);
  if (blocks.size === 0 && listed.length === 0) {
    const copy = opts.returned || (endAt >= 0 ? lines.slice(endAt).join('\n') : '');
    const address = returnedTo(copy);
    const key = address.toLowerCase();
    if (address && !exclude.has(key) && !own.has(key))
      blocks.set(key, { recipient: address, text: '', lines: body.map((l) => l.trim()) });
  }
  for (const address of listed) {
    if (!blocks.has(address.toLowerCase()))
      blocks.set(address.toLowerCase(), { recipient: address, text: '', lines: [] });
  }
  // Read again for every recipient that shares them, so joined once and bounded like the preamble (issue 17).
  const sharedWords = new Map<Block, string>();
  const wordsOf = (block: Block) => {
    const words = sharedWords.get(block) ?? block.lines.slice(1).join('\n').trim().slice(0, MAX_PREAMBLE);
    sharedWords.set(block, words);
    return words;
  };
  return {
    failures: [...blocks.values()].map(({ recipient, lines, sharesWith }) => ({
      recipient,
      text: [lines.join('\n').trim(), sharesWith ? wordsOf(sharesWith) : ''].join('\n').trim(),
    })),
    // Read again for every recipient, so bounded (issue 17); an MTA's one-line reason sits near the top.
    preamble: preamble.join('\n').trim().slice(0, MAX_PREAMBLE),
    marked: markedAt >= 0 || listed.length > 0,
  };
}

/**
 * One failed recipient's block of lines while they are gathered; `sharesWith` is the block listed below it
 * whose words it shares (addresses listed one under another, then one paragraph about them all).
 */
type Block = TextFailure & { lines: string[]; sharesWith?: Block };

/** Postfix's alias line, `<a@list> (expanded from <a@b>): …`: the address in brackets is the one we sent to. */
const EXPANDED_FROM = /^\s*<?[^\s<>]{1,320}>?\s+\(expanded from <([^\s<>]{1,320})>\)/i;

/** Sun Messaging Server's "Original address:" under its "Recipient address:": the address we sent to. */
const ORIGINAL_ADDRESS = /^\s*Original address\s*:/i;

/**
 * Blocks of lines opened by each line that starts with an `accept`ed address (a second mention adds to
 * the first block), and the lines above the first one. A line indented deeper than the one that opened the
 * block, with no blank line between, continues it (Postfix wraps its reply: `    <a@b>... User Unknown`);
 * addresses listed one under another with no words between share the words that follow (legacy Gmail's one
 * "Technical details" paragraph for all of them).
 */
function addressBlocks(lines: readonly string[], accept: (key: string) => boolean) {
  const blocks = new Map<string, Block>();
  const preamble: string[] = [];
  // The blocks listed since the last words (the next lines are the last one's, and shared by the others),
  // whether words came since the last address line, and how deep the line that opened the last block was.
  let listed: Block[] = [];
  let worded = false;
  let depth = 0;
  let previousBlank = false;
  // The block the previous line opened, which an "Original address:" line renames.
  let opened: Block | null = null;
  for (const line of lines) {
    const indent = line.search(/\S/);
    const current = listed[listed.length - 1];
    const continuation = current !== undefined && !previousBlank && indent > depth;
    const written = continuation ? '' : (EXPANDED_FROM.exec(line)?.[1] ?? ADDRESS_LINE.exec(line)?.[1] ?? '');
    const address = normalizeAddress(written);
    const key = address.toLowerCase();
    previousBlank = indent < 0;
    if (address && accept(key) && opened && ORIGINAL_ADDRESS.test(line) && !blocks.has(key)) {
      blocks.delete(opened.recipient.toLowerCase());
      opened.recipient = address;
      blocks.set(key, opened);
      opened.lines.push(line.trim());
      opened = null;
    } else if (address && accept(key)) {
      const known = blocks.get(key);
      const block = known ?? { recipient: address, text: '', lines: [] };
      blocks.set(key, block);
      if (worded) listed = [];
      listed.push(block);
      worded = false;
      depth = Math.max(0, indent);
      block.lines.push(line.trim());
      opened = known ? null : block;
    } else {
      (current?.lines ?? preamble).push(line.trim());
      if (indent >= 0 && !worded && current) {
        for (const block of listed) if (block !== current) block.sharesWith = current;
      }
      if (indent >= 0) {
        worded = true;
        opened = null;
      }
    }
  }
  return { blocks, preamble };
}

/** The first address in the To of a returned message's headers (or of a copy whose headers start at a marker line). */
function returnedTo(copy: string): string {
  const start = /^(?:To|Received|Return-Path|Message-ID|From|Subject|Date):/im.exec(
    copy.slice(0, MAX_PREAMBLE),
  );
  if (!start) return '';
  const to = field(parseHeaderBlock(copy.slice(start.index)), 'to');
  return normalizeAddress(ADDRESS_IN_TEXT.exec(to)?.[0] ?? '');
}

/** The envelope sender in a session transcript ("MAIL FROM:<a@b>", Postfix's "In: MAIL\n FROM:<a@b>"): never a recipient. */
const ENVELOPE_SENDER = /\bFROM:\s*<[^>]*>/gi;

/** Sendmail's error line about a host, not an address ("550 example.org (smtp)... 550 Host unknown"). */
const HOST_ERROR = /^\s*[45]\d\d [\w.-]+ \(\w+\)\.{3}/;

/**
 * Lines naming a message by its identifier, which is written like an address (`<id@host>`) but is none; also
 * in a forwarded bounce's quote (`> Message-Id: …`).
 */
const MESSAGE_ID_LINE = /^[\s>]*(?:Message-ID|References|In-Reply-To|Resent-Message-ID|Content-ID)\s*:/i;

/** Exchange 2003's X.400 line names the address as `dda:SMTP=a@b`: the label is no part of it. */
const SMTP_LABEL = /^SMTP=/i;

/**
 * The fallback when no line starts with a failed address: addresses named inside sentences ("There was an
 * error delivering your mail to <a@b>", "Delivery failed 20 attempts: a@b", ">>> a@b"), each with the text
 * from its first mention to the next one's, or to a Sendmail error line about a host (the words there are not
 * this recipient's). Daemon mailboxes, message identifiers and the bounce's own From/To are skipped.
 * Returns the lines that are no recipient's: those above the first mention, and those after a host's error.
 */
function mentioned(
  body: readonly string[],
  exclude: ReadonlySet<string>,
  blocks: Map<string, Block>,
): string[] {
  const unowned: string[] = [];
  let current: string[] | null = null;
  for (const line of body) {
    const found = MESSAGE_ID_LINE.test(line)
      ? []
      : [...line.replace(ENVELOPE_SENDER, '').matchAll(ADDRESSES_IN_TEXT)].map((m) =>
          normalizeAddress(m[0].replace(SMTP_LABEL, '')),
        );
    const fresh = found.find(
      (a) => a && !exclude.has(a.toLowerCase()) && !DAEMON_LOCAL.test(a.split('@')[0] ?? ''),
    );
    if (fresh && !blocks.has(fresh.toLowerCase())) {
      current = [];
      blocks.set(fresh.toLowerCase(), { recipient: fresh, text: '', lines: current });
    } else if (!fresh && HOST_ERROR.test(line)) {
      current = null;
    }
    (current ?? unowned).push(line.trim());
  }
  return unowned;
}
