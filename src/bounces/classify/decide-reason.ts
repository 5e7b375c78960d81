import { type BounceKind, type BounceReason, kindOf } from './result.ts';
import { REPLY_CODE_RULES, STATUS_RULES, TEXT_RULES } from './rules.ts';
import { findReplyCode, findStatus } from './smtp-text.ts';

/** What is known about one failed delivery. */
export interface Evidence {
  /** Enhanced status code ("5.1.1") or ''. */
  status: string;
  /** SMTP reply code (550) or 0. */
  code: number;
  /** The diagnostic and any other words about this recipient. */
  text: string;
  /** True when the sender has stopped trying (a bounce), false for a live reply it may still retry. */
  final: boolean;
}

/** A decision and where it came from: the rule id, and whether text, status, reply code or nothing decided. */
export interface Decision {
  reason: BounceReason;
  rule: string;
  source: 'text' | 'status' | 'code' | 'none';
}

const RETRY_MEANS_EXPIRED: ReadonlySet<BounceReason> = new Set(['network_error', 'other']);

/** The rules that only name trouble vaguely (their decision says which rule, not how strong it is). */
const WEAK_RULES: ReadonlySet<string> = new Set(TEXT_RULES.filter((r) => r.weak).map((r) => r.id));

/**
 * Decides the reason for one failure: a specific text rule, else the enhanced status code, else a weak
 * text rule, else the reply code, else `other`. A transient (4xx / 4.x.x) failure is never hard: a temporary
 * unknown host is `network_error`; once the sender has given up (`final`), a temporary "user unknown" or a
 * last error that was only network or system trouble is `expired`; before that, a temporary "user unknown"
 * is `other`.
 */
export function decideReason(evidence: Evidence): Decision {
  const decision = firstDecision(evidence);
  const transient = evidence.status
    ? evidence.status.startsWith('4.')
    : evidence.code >= 400 && evidence.code < 500;
  if (!transient) return decision;
  // A name that does not resolve for now is trouble in the DNS (RFC 3463 X.4.3), not a dead domain.
  if (decision.reason === 'host_unknown') return { ...decision, reason: 'network_error' };
  const hard = kindOf(decision.reason) === 'hard';
  // A named cause (a rate limit, TLS required, a DNS failure said in words) stays what it is; only trouble
  // the words do not name, or name vaguely, becomes "gave up".
  const named = decision.source === 'text' && !WEAK_RULES.has(decision.rule);
  const vague = RETRY_MEANS_EXPIRED.has(decision.reason) && !(named && decision.reason === 'network_error');
  if (evidence.final && (hard || vague)) return { ...decision, reason: 'expired' };
  return hard ? { ...decision, reason: 'other' } : decision;
}

/** X.1.7 and X.1.8 (RFC 3463): the sender's address is bad, whatever the words say about "the address". */
const SENDER_STATUS = /^\d\.1\.[78]$/;

function firstDecision({ status, code, text }: Evidence): Decision {
  const byStatus = statusRule(status);
  const strong = TEXT_RULES.find((r) => !r.weak && r.pattern.test(text));
  // "550 5.1.7 Invalid address": the status says whose address, so words about a dead address are ours.
  if (strong && byStatus && SENDER_STATUS.test(status) && kindOf(strong.reason) === 'hard')
    return { reason: byStatus.reason, rule: byStatus.id, source: 'status' };
  if (strong) return { reason: strong.reason, rule: strong.id, source: 'text' };
  if (byStatus) return { reason: byStatus.reason, rule: byStatus.id, source: 'status' };
  const weak = TEXT_RULES.find((r) => r.weak && r.pattern.test(text));
  if (weak) return { reason: weak.reason, rule: weak.id, source: 'text' };
  const byCode = REPLY_CODE_RULES.find((r) => r.codes.includes(code));
  if (byCode) return { reason: byCode.reason, rule: byCode.id, source: 'code' };
  return { reason: 'other', rule: 'none', source: 'none' };
}

function statusRule(status: string) {
  if (!status) return undefined;
  const [, subject, detail] = status.split('.');
  // X.5.0 ("other or undefined protocol status", RFC 3463) is as vague as X.0.0: the words decide.
  if (subject === '5' && detail === '0') return undefined;
  const exact = `${subject}.${detail}`;
  return (
    STATUS_RULES.find((r) => r.codes.includes(exact)) ??
    STATUS_RULES.find((r) => r.codes.includes(`${subject}.*`))
  );
}

/** The classification of an SMTP reply received while sending. */
export interface ReplyClassification {
  reason: BounceReason;
  kind: BounceKind;
  /** The enhanced status code from the reply, else the reply code's class as "x.0.0". */
  status: string;
}

/**
 * Classifies a relay's SMTP reply (e.g. nodemailer's `responseCode` and `response` for a 550 at RCPT)
 * through the same rules as bounces, so a rejection while sending and a later bounce get the same policy.
 * `response` is the reply text, with or without its leading code; `code` 0 means "read it from the text".
 * Pass `final: true` for a 4xx reply the sender has stopped retrying (it then reads as a bounce would).
 * A 4xx reply is never hard.
 */
export function classifySmtpReply(reply: {
  code: number;
  response: string;
  final?: boolean;
}): ReplyClassification {
  const status = findStatus(reply.response);
  const code = reply.code || findReplyCode(reply.response);
  const { reason } = decideReason({ status, code, text: reply.response, final: reply.final ?? false });
  const fallback = code >= 400 && code < 600 ? `${String(code)[0]}.0.0` : '';
  return { reason, kind: kindOf(reason), status: status || fallback };
}
