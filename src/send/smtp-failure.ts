import { classifySmtpReply, type ReplyClassification } from '../bounces/classify/index.ts';

/** What to do about a message the relay did not accept. */
export interface DeliveryFailure {
  /** `retry`: try the batch again later (4xx, lost connection); `final`: count it failed now. */
  decision: 'retry' | 'final';
  /** The SMTP reply code, or null when there was no reply (network, timeout). */
  code: number | null;
  /** The relay's reply text, or the error message. */
  response: string;
  /** For a final rejection of the recipient or the message: the bounce it amounts to. */
  bounce: ReplyClassification | null;
}

/**
 * Decides what a nodemailer send error means. A 5xx reply to RCPT TO or to the message (DATA) is
 * final: the recipient is counted failed and never retried. Everything else (4xx, 5xx to MAIL FROM
 * or AUTH, a lost connection) says nothing final about the recipient and is retried with backoff.
 * On the `lastAttempt` a retryable failure becomes final too (a 4xx reply then reads as the bounce
 * it amounts to, e.g. `expired`). The bounce classifier reads the reply, so only a dead address
 * (hard) leads to suppression.
 */
export function classifyDeliveryError(err: unknown, { lastAttempt = false } = {}): DeliveryFailure {
  const e = (err ?? {}) as { responseCode?: number; response?: string; command?: string; message?: string };
  const code = typeof e.responseCode === 'number' ? e.responseCode : null;
  const response = (e.response ?? e.message ?? String(err)).trim();
  const aboutRecipient = e.command === 'RCPT TO' || e.command === 'DATA';
  if (code !== null && code >= 500 && aboutRecipient) {
    return { decision: 'final', code, response, bounce: classifySmtpReply({ code, response }) };
  }
  if (!lastAttempt) return { decision: 'retry', code, response, bounce: null };
  const bounce = code !== null ? classifySmtpReply({ code, response, final: true }) : null;
  return { decision: 'final', code, response, bounce };
}
