import { classifySmtpReply, type ReplyClassification } from '../../bounces/classify/classifier-api.ts';

/**
 * Why a recipient was not delivered: `recipient` (the relay refused the reader's address or the
 * message: 5xx at RCPT TO or DATA), `relay` (the relay refused us: bad credentials, our IP or
 * sender blocked, a broken session), `temporary` (4xx, a lost connection, a timeout), `stalled`
 * (the batch stopped its worker too often) and `error` (the batch failed for good on an
 * unexpected error). Only `recipient` says something about the reader.
 */
export const FAILURE_CAUSES = ['recipient', 'relay', 'temporary', 'stalled', 'error'] as const;
export type FailureCause = (typeof FAILURE_CAUSES)[number];

/** Causes whose recipients `gazette retry` delivers to again: all but the reader's own address. */
export const RETRYABLE_CAUSES: readonly FailureCause[] = ['relay', 'temporary', 'stalled', 'error'];

/** What to do about a message the relay did not accept. */
export interface DeliveryFailure {
  /** `retry`: try the batch again later; `final`: count it failed now. */
  decision: 'retry' | 'final';
  cause: Extract<FailureCause, 'recipient' | 'relay' | 'temporary'>;
  /** The SMTP reply code, or null when there was no reply (network, timeout). */
  code: number | null;
  /** The relay's reply text, or the error message. */
  response: string;
  /** For a final rejection of the recipient or the message: the bounce it amounts to. */
  bounce: ReplyClassification | null;
}

/** nodemailer's `err.command` values that concern one recipient or its message (lib/smtp-connection). */
const ABOUT_RECIPIENT = new Set(['RCPT TO', 'DATA']);

/** nodemailer's error codes for a session the relay would not give us (credentials, TLS, protocol). */
const REFUSED_US = new Set(['EAUTH', 'ENOAUTH', 'ETLS', 'EREQUIRETLS', 'EPROTOCOL']);

type SmtpError = {
  code?: string;
  responseCode?: number;
  response?: string;
  command?: string;
  message?: string;
};

function causeOf(e: SmtpError, code: number | null): DeliveryFailure['cause'] {
  if (code !== null && code >= 400 && code < 500) return 'temporary';
  // 503 is "bad sequence of commands": our session went wrong, not the reader's address (RFC 5321 4.2.4).
  if (code !== null && code >= 500 && code !== 503 && ABOUT_RECIPIENT.has(e.command ?? ''))
    return 'recipient';
  if (code !== null && code >= 500) return 'relay';
  if (REFUSED_US.has(e.code ?? '')) return 'relay';
  return 'temporary';
}

/**
 * Decides what a nodemailer send error means, from its `responseCode`, `command` and `code`
 * (never from its words). A 5xx reply to RCPT TO or DATA is final: the recipient is counted failed
 * and never retried. A relay refusing us (5xx at the greeting, EHLO, AUTH or MAIL FROM, a 503, an
 * EAUTH) and a temporary failure (4xx, a lost connection) say nothing about the reader and are
 * retried with backoff; on the `lastAttempt` they become final too (a 4xx reply then reads as the
 * bounce it amounts to, e.g. `expired`; a refusal of us is no bounce of the reader's).
 */
export function classifyDeliveryError(err: unknown, { lastAttempt = false } = {}): DeliveryFailure {
  const e = (err ?? {}) as SmtpError;
  const code = typeof e.responseCode === 'number' ? e.responseCode : null;
  const response = (e.response ?? e.message ?? String(err)).trim();
  const cause = causeOf(e, code);
  if (cause === 'recipient') {
    return {
      decision: 'final',
      cause,
      code,
      response,
      bounce: classifySmtpReply({ code: code ?? 550, response }),
    };
  }
  if (!lastAttempt) return { decision: 'retry', cause, code, response, bounce: null };
  const bounce =
    cause === 'temporary' && code !== null ? classifySmtpReply({ code, response, final: true }) : null;
  return { decision: 'final', cause, code, response, bounce };
}

/**
 * The relay's words as one line of `status` and `report` (`550 5.7.1 blocked`): control characters
 * out (the text reaches terminals), each address replaced by `<address>` so that one reply to many
 * readers is one line, and no reader's address is kept with it.
 */
export function failureWords(failure: Pick<DeliveryFailure, 'code' | 'response'>): string {
  const text = failure.response
    .replace(/<?[^\s<>@]+@[^\s<>]+>?/g, '<address>')
    .replace(/[\p{Cc}\p{Cf}\s]+/gu, ' ')
    .trim()
    .slice(0, 160);
  return failure.code !== null && !text.startsWith(String(failure.code)) ? `${failure.code} ${text}` : text;
}
