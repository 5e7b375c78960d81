/** What the relay's rejection means for the recipient, as a bounce. */
export interface BounceVerdict {
  reason: string;
  kind: 'hard' | 'soft' | 'complaint';
  /** Enhanced status code (RFC 3463), e.g. `5.1.1`; empty when the reply had none. */
  status: string;
}

/** What to do about a message the relay did not accept. */
export interface DeliveryFailure {
  /** `retry`: try the batch again later (4xx, lost connection); `final`: count it failed now. */
  decision: 'retry' | 'final';
  /** The SMTP reply code, or null when there was no reply (network, timeout). */
  code: number | null;
  /** The relay's reply text, or the error message. */
  response: string;
  /** For a final rejection of the recipient or the message: the bounce it amounts to. */
  bounce: BounceVerdict | null;
}

const HARD_BY_DETAIL: Record<string, string> = { '1': 'user_unknown', '2': 'host_unknown', '6': 'has_moved', '10': 'not_accept' };

/**
 * Reads an SMTP reply as a bounce. Until the bounce classifier lands this is the small rule the
 * sending issue sets: a 5.1.x status (bad mailbox or domain) is hard, anything else soft, so that
 * a policy or spam rejection never suppresses a reader. The classifier will replace the body.
 */
export function smtpReplyVerdict(reply: { code: number; response: string }): BounceVerdict {
  const status = /\b([245])\.(\d{1,3})\.(\d{1,3})\b/.exec(reply.response);
  const statusText = status ? `${status[1]}.${status[2]}.${status[3]}` : '';
  if (reply.code >= 500 && status?.[1] === '5' && status[2] === '1') {
    return { reason: HARD_BY_DETAIL[status[3] as string] ?? 'user_unknown', kind: 'hard', status: statusText };
  }
  return { reason: 'other', kind: 'soft', status: statusText };
}

/**
 * Decides what a nodemailer send error means. A 5xx reply to RCPT TO or to the message (DATA) is
 * final: the recipient is counted failed and never retried. Everything else (4xx, 5xx to MAIL FROM
 * or AUTH, a lost connection) says nothing final about the recipient and is retried with backoff.
 */
export function classifyDeliveryError(err: unknown): DeliveryFailure {
  const e = (err ?? {}) as { responseCode?: number; response?: string; command?: string; message?: string };
  const code = typeof e.responseCode === 'number' ? e.responseCode : null;
  const response = (e.response ?? e.message ?? String(err)).trim();
  const aboutRecipient = e.command === 'RCPT TO' || e.command === 'DATA';
  if (code !== null && code >= 500 && aboutRecipient) {
    return { decision: 'final', code, response, bounce: smtpReplyVerdict({ code, response }) };
  }
  return { decision: 'retry', code, response, bounce: null };
}
