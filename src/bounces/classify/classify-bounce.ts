import { isComplaintType, parseFeedbackReport } from './arf.ts';
import { decideReason, type Evidence } from './decide-reason.ts';
import { type DsnRecipient, parseDeliveryStatus } from './dsn.ts';
import { filteredUnknown } from './filtered-unknown.ts';
import { extractFailures, fromDaemon, fromMailSystem, looksLikeBounce } from './non-standard.ts';
import { type BounceMessage, readMessage, shortLines } from './read-message.ts';
import { type BounceReason, type BounceResult, kindOf, MAX_RESULTS } from './result.ts';
import { sesNotificationResults } from './ses-notification.ts';
import { findReplyCode, findStatus, normalizeDiagnostic } from './smtp-text.ts';

/**
 * Classifies a raw message (bytes as received; a string is read as UTF-8): one result per failed recipient
 * of a delivery status notification (RFC 3464) or of a bounce written only for people, and one `complaint`
 * per reported recipient of a feedback report (RFC 5965); a delay warning gives `delayed` results (soft:
 * `expired`, or what the warning says is wrong, e.g. `mailbox_full`) that the policy never acts on.
 * Auto-replies, vacation notices, read receipts and ordinary mail give []. At most MAX_RESULTS results.
 * Pure: no I/O beyond parsing the given bytes; linear in the message's size (issue 17: every pattern is
 * linear and reads lines cut to a bounded length).
 */
export async function classifyBounce(raw: Buffer | string): Promise<BounceResult[]> {
  const read = await readMessage(raw);
  const results = classifyRead(read);
  if (results.length > 0 || !read.returned) return results;
  // A bounce forwarded as an attachment (a reader's or a relay's "Fwd: Returned mail"): the attached message is
  // read once more. It counts when it is a mail system's own report (a DSN, a feedback report, a notice a mail
  // system sent), or when a person sent the message around it: what a reader forwards is read as if it had come
  // on its own (an SES notification, a carrier's notice from a no-reply address). What a mail system attaches to
  // its own report is the copy of our message, which never counts, however much it looks like a bounce.
  const inner = await readMessage(read.returned);
  return fromReporter(inner) || !fromReporter(read) ? classifyRead(inner) : [];
}

/** True when the message is a mail system's report by its parts, its report type or its sender and envelope. */
function fromReporter(msg: BounceMessage): boolean {
  return (
    msg.deliveryStatus.length > 0 ||
    msg.feedbackReports.length > 0 ||
    msg.reportType !== '' ||
    fromMailSystem(msg)
  );
}

function classifyRead(read: BounceMessage): BounceResult[] {
  if (read.feedbackReports.length > 0) return complaints(read);
  if (read.reportType === 'disposition-notification') return [];
  // SES's JSON is one long line, read by a linear scan before the text is cut for the patterns.
  const ses = sesNotificationResults(read.text);
  if (ses) return ses.slice(0, MAX_RESULTS);
  const msg: BounceMessage = { ...read, text: shortLines(read.text) };
  // Broken MIME (no boundary lines) or a plain-text report may still carry the DSN fields in its text; a
  // hand-made report may come from anyone, but its recipient fields say what it is.
  const inText = looksLikeBounce(msg) || DSN_RECIPIENT.test(msg.text);
  const parts = msg.deliveryStatus.length > 0 ? msg.deliveryStatus : inText ? [msg.text] : [];
  const recipients = parts.flatMap((part) => parseDeliveryStatus(part).recipients);
  // A DSN that lists recipients is the whole truth, even when none failed (a delay warning or a success notice).
  if (recipients.some((r) => r.action)) return fromDsn(msg, recipients);
  if (!looksLikeBounce(msg)) return [];
  return fromText(msg);
}

/** What a notice may say about the mailbox itself, above its list of addresses. */
const MAILBOX_STATES: ReadonlySet<BounceReason> = new Set(['suspended', 'mailbox_full']);

/** An RFC 3464 per-recipient field at the start of a line. */
const DSN_RECIPIENT = /^(?:Final|Original)-Recipient:/im;

function complaints(msg: BounceMessage): BounceResult[] {
  const out: BounceResult[] = [];
  for (const body of msg.feedbackReports) {
    const report = parseFeedbackReport(body, msg.returned);
    if (!isComplaintType(report.feedbackType)) continue;
    const diagnostic = `${report.feedbackType} report${report.reporter ? ` from ${report.reporter}` : ''}`;
    // A redacted report still counts: the receiver can find the reader from the returned message.
    for (const recipient of report.recipients.length > 0 ? report.recipients.slice(0, MAX_RESULTS) : ['']) {
      out.push({
        recipient,
        action: report.feedbackType,
        status: '',
        diagnostic,
        reason: 'complaint',
        kind: 'complaint',
      });
    }
  }
  return unique(out).slice(0, MAX_RESULTS);
}

/** RFC 3464 actions that report a failure; some MTAs (SendGrid) write `expired` for a message they gave up on. */
const FAILED_ACTIONS: ReadonlySet<string> = new Set(['failed', 'expired']);

function fromDsn(msg: BounceMessage, recipients: DsnRecipient[]): BounceResult[] {
  const failed = recipients.filter((r) => FAILED_ACTIONS.has(r.action));
  // A delay warning is reported too, in the DSN's order; the policy acts on no `delayed` result.
  const failedRecipients = new Set(failed.map((f) => f.recipient));
  const reported = recipients
    .filter(
      (r) => FAILED_ACTIONS.has(r.action) || (r.action === 'delayed' && !failedRecipients.has(r.recipient)),
    )
    .slice(0, MAX_RESULTS);
  const lines = textLines(msg.text);
  return unique(reported.map((r) => dsnResult(msg, lines, r, reported.length === 1)));
}

/**
 * One reported recipient of a DSN: decided by its own fields (the Status comment included), and only when
 * they say nothing specific by what the human-readable part says about it (`alone`: all of that part).
 * A delay warning says why the message is late; a dead address is not a reason to be late, so it is `expired`.
 */
function dsnResult(msg: BounceMessage, lines: TextLines, dsn: DsnRecipient, alone: boolean): BounceResult {
  const { comment, ...r } = dsn;
  const own = comment ? `${r.diagnostic}\n${comment}` : r.diagnostic;
  const evidence: Evidence = { status: r.status, code: findReplyCode(r.diagnostic), text: own, final: true };
  let decision = decideReason(evidence);
  let diagnostic = r.diagnostic;
  if (decision.source === 'code' || decision.source === 'none') {
    const words = aboutRecipient(lines, r.recipient, alone);
    if (words) decision = decideReason({ ...evidence, text: `${own}\n${words}` });
    // The only reported recipient: the session transcript further down may say what the server said.
    if ((decision.source === 'code' || decision.source === 'none') && alone)
      decision = decideReason({ ...evidence, text: `${own}\n${msg.text}` });
    if (!diagnostic) diagnostic = normalizeDiagnostic(words);
  }
  const about = alone ? msg.text : aboutRecipient(lines, r.recipient, false);
  const reason = filteredUnknown(decision.reason, r.status, msg, `${r.diagnostic}\n${about}`, r.recipient);
  if (r.action !== 'delayed') return { ...r, action: 'failed', diagnostic, reason, kind: kindOf(reason) };
  const late = kindOf(reason) === 'hard' ? 'expired' : reason;
  return { ...r, diagnostic, reason: late, kind: kindOf(late) };
}

function fromText(msg: BounceMessage): BounceResult[] {
  const { failures, preamble, marked } = extractFailures(msg.text, {
    exclude: [msg.from.address],
    own: msg.to,
    failedRecipients: msg
      .header('x-failed-recipients')
      .flatMap((v) => v.split(',', MAX_RESULTS))
      .slice(0, MAX_RESULTS),
    returned: msg.returned,
  });
  const daemon = fromDaemon(msg);
  const out = failures.slice(0, MAX_RESULTS).flatMap(({ recipient, text }) => {
    const status = findStatus(text) || findStatus(preamble);
    const code = findReplyCode(text);
    let decision = decideReason({ status, code, text, final: true });
    if (decision.source === 'code' || decision.source === 'none') {
      decision = decideReason({ status, code, text: `${preamble}\n${text}`, final: true });
    }
    // A notice that states the mailbox's state once above its list (au: "The user(s) account is disabled.") says
    // why the server then answered "user unknown" for each address: the account exists.
    if (kindOf(decision.reason) === 'hard') {
      const notice = decideReason({ status: '', code: 0, text: preamble, final: true });
      if (MAILBOX_STATES.has(notice.reason)) decision = notice;
    }
    // Without an MTA's failure heading, an address with no code and no known words is not evidence of a
    // failure: it is more likely a signature line in an auto-reply that looked like a bounce. A mail system's
    // daemon sends no auto-replies: its notice is a failure even in words no rule knows (iMail, DragonFly).
    if (!marked && !daemon && !status && !code && decision.source === 'none') return [];
    // A Google group that refuses a post (not a member, no such group) refuses our sender, not an address.
    const group = decision.reason === 'other' && /@googlegroups\.com$/i.test(recipient);
    const reason = group
      ? 'rejected'
      : filteredUnknown(decision.reason, status, msg, `${preamble}\n${text}`, recipient);
    return {
      recipient,
      action: 'failed',
      status: status || (code ? `${String(code)[0]}.0.0` : ''),
      diagnostic: diagnosticLine(text) || normalizeDiagnostic(preamble),
      reason,
      kind: kindOf(reason),
    };
  });
  return unique(out);
}

/**
 * The reply the remote server gave: from its code to the end of that line, with the further lines of a
 * multi-line reply ("550-5.1.1 …"); without a code, the block's text after the address.
 */
function diagnosticLine(text: string): string {
  const lines = text.split('\n');
  const i = lines.findIndex((l) => REPLY_START.test(l));
  if (i < 0) {
    // No reply code: the words after the address (Postfix writes them on its line: `<a@b>: unknown user: "a"`) and
    // the lines below it, without separator lines of dashes.
    const first = lines[0] ?? '';
    const address = /^\s*<?[^\s<>@]{1,64}@[^\s<>:,]{1,255}>?[:,]?/.exec(first);
    const below = lines.slice(1).filter((l) => /[^\s\p{P}]/u.test(l));
    // A sentence that names the address ("There was an error delivering your mail to <a@b>.") is no diagnostic
    // when words follow it; IMail's "Unknown user: a@b" is.
    const head = address ? first.slice(address[0].length) : below.length > 0 ? '' : first;
    const words = [head, ...below].filter((l) => /[^\s\p{P}]/u.test(l));
    return normalizeDiagnostic(words.join(' '));
  }
  const first = lines[i] as string;
  const reply = [first.slice(first.search(/[45]\d\d[ -]/))];
  const code = reply[0]?.slice(0, 3);
  // A multi-line reply is "550-…" lines closed by one "550 …" line (RFC 5321 §4.2.1).
  for (const next of lines.slice(i + 1)) {
    if (!reply[reply.length - 1]?.startsWith(`${code}-`) || !next.startsWith(`${code}`)) break;
    reply.push(next);
  }
  return normalizeDiagnostic(reply.join(' '));
}

const REPLY_START = /(?:^|[\s(#:'"<])[45]\d\d[ -]/;

/** A text, its lines, and its lines in lower case: split once per message, read once per recipient. */
interface TextLines {
  text: string;
  lines: string[];
  lower: string[];
}

function textLines(text: string): TextLines {
  return { text, lines: text.split('\n'), lower: text.toLowerCase().split('\n') };
}

/**
 * The lines of a DSN's human-readable part about `recipient`: the line naming it and the ones after it up
 * to a blank line. With `alone` (the DSN has one failed recipient) the whole part when it never names it.
 */
function aboutRecipient({ text, lines, lower }: TextLines, recipient: string, alone: boolean): string {
  const name = recipient.toLowerCase();
  const at = lower.findIndex((l) => l.includes(name));
  if (at < 0) return alone ? text : '';
  const end = lines.findIndex((l, i) => i > at && l.trim() === '');
  return lines.slice(at, end < 0 ? undefined : end).join('\n');
}

/** One result per recipient: the first one stands (a DSN may list an address twice, e.g. after a retry). */
function unique(results: BounceResult[]): BounceResult[] {
  const seen = new Set<string>();
  return results.filter((r) => {
    const key = `${r.recipient.toLowerCase()}\0${r.kind}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
