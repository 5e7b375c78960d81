import type { BounceMessage } from './read-message.ts';
import type { BounceReason } from './result.ts';

/** Content-security gateways (McAfee, m-FILTER, MXLogic, SurfControl): their "unknown user" is a filter's verdict. */
const FILTER_GATEWAY = /\b(?:McAfee|m-FILTER|MXLogic|SurfControl)\b/i;
/**
 * The refusal came after DATA: the server accepted the recipient at RCPT, so the address exists (Postfix and
 * Exim say so; qmail says it "failed after I sent the message"). Not a Sendmail transcript's `>>> DATA`:
 * with pipelining, the reply under it may still be the one to RCPT.
 */
const AFTER_DATA =
  /\b(?:in reply to|after) (?:the )?end of data\b|\bfor TEXT command\b|\bfailed after I sent the message\b/i;
/** The refusal came at RCPT: the server refused the address itself (qmail: "does not like recipient"). */
const AT_RCPT =
  /\b(?:in reply to|after) RCPT(?: TO)?\b|\bdid not like our RCPT\b|\bdoes not like recipient\b/i;

/**
 * "User unknown" that cannot mean a dead address is a filter (issue 9: Japanese carriers answer so
 * after DATA when the reader's own domain filter refuses us): said after DATA; by a content-security
 * gateway with no status code that confirms it (X.1.1); or with X.2.1 ("mailbox disabled") and not at
 * RCPT. Soft `policy` then; any other reason is returned as it is.
 */
export function filteredUnknown(
  reason: BounceReason,
  status: string,
  msg: BounceMessage,
  words: string,
): BounceReason {
  if (reason !== 'user_unknown') return reason;
  const headers = [
    msg.from.address,
    ...['x-nai-header', 'x-mailer', 'received', 'message-id'].flatMap(msg.header),
  ];
  const gateway = headers.some((h) => FILTER_GATEWAY.test(h));
  const unconfirmed = !status || status.endsWith('.0.0');
  const disabled = /^\d\.2\.1$/.test(status) && !AT_RCPT.test(words);
  return (gateway && unconfirmed) || disabled || AFTER_DATA.test(words) ? 'policy' : reason;
}
