import type { BounceMessage } from './read-message.ts';
import type { BounceReason } from './result.ts';
import { TEXT_RULES, type TextRule } from './rules.ts';

/** A refusal at MAIL FROM: the SMTP-stage rule of the text rules, read here before any evidence about the address. */
const AT_MAIL_FROM = (TEXT_RULES.find((r) => r.id === 'rejected.smtp-mail-from') as TextRule).pattern;

/** Content-security gateways (McAfee, m-FILTER, MXLogic, SurfControl): their "unknown user" is a filter's verdict. */
const FILTER_GATEWAY = /\b(?:McAfee|m-FILTER|MXLogic|SurfControl)\b/i;
/**
 * The refusal came after DATA: the server accepted the recipient at RCPT, so the address exists (Postfix and
 * Exim say so; qmail says it "failed after I sent the message"). Not a Sendmail transcript's `>>> DATA`:
 * with pipelining, the reply under it may still be the one to RCPT.
 */
const AFTER_DATA =
  /\b(?:in\s+reply\s+to|after)\s+(?:the\s+)?end\s+of\s+data\b|\bfor\s+TEXT\s+command\b|\bfailed\s+after\s+I\s+sent\s+the\s+message\b|\(state\s+1[578]\)/i;
/**
 * The refusal came at RCPT: the server refused the address itself. Postfix "(in reply to RCPT TO command)" and
 * Exim "after RCPT TO:<…>" (both may wrap), a session transcript's `>>> RCPT TO:<…>` answered `<<< 5xx`, a
 * `SMTP:RCPT` label, qmail's "does not like recipient", old Gmail's "(state 14)" (its code for a refusal at RCPT;
 * 15, 17 and 18 are refusals after DATA).
 */
const AT_RCPT =
  /\b(?:in\s+reply\s+to|after)\s+RCPT(?:\s+TO)?\b|\bSMTP:\s*RCPT\b|^[^\S\n\r\u2028\u2029]*>>>\s*RCPT\s+TO:[^\n]*\n\s*<<<\s*[45]\d\d\b|\bdid\s+not\s+like\s+our\s+RCPT\b|\bdoes\s+not\s+like\s+recipient\b|\(state\s+14\)/im;
/**
 * A Sendmail transcript whose `>>> DATA` was answered 5xx: the server refused the message, not an address it
 * had already accepted at RCPT (with pipelining the reply may still be RCPT's, and then an X.1.x status or the
 * RCPT line says so).
 */
const TRANSCRIPT_DATA = /^[^\S\n\r\u2028\u2029]*>>>[^\S\n]*DATA[^\S\n]*\n[^\S\n]*<<<[^\S\n]*5\d\d\b/im;
/**
 * Japanese mobile carriers (NTT docomo, au/KDDI, SoftBank and their brands): they answer "user unknown" when the
 * reader's own domain filter refuses our sender (issue 9), so from them the words alone are not evidence.
 */
const JA_CARRIER =
  /@(?:[\w-]+\.)*(?:docomo\.ne\.jp|ezweb\.ne\.jp|au\.com|softbank\.ne\.jp|i\.softbank\.jp|vodafone\.ne\.jp|disney\.ne\.jp|pdx\.ne\.jp|willcom\.com|emnet\.ne\.jp|ymobile\.ne\.jp|y-mobile\.ne\.jp)$/i;
/**
 * An enhanced status of subject 1 (addressing, RFC 3463 X.1.x) given with the refusal: in the DSN's Status,
 * after a reply code ("550 5.1.1", "550-5.1.1"), or at the start of an MTA's own line ("5.1.1 <a@b>... User unknown").
 */
const ADDRESS_STATUS =
  /(?:^[^\S\n\r\u2028\u2029]*(?:Status:\s*)?|(?<![\w.])[45]\d\d[ -]['"]?)[45]\.1\.\d{1,3}(?!\.?\d)/im;
/**
 * The mailbox's own host looked the address up and did not find it: a local delivery agent's "unknown user"
 * (mail.local, procmail, maildrop, Postfix's local(8): `unknown user: "name"`), a directory that does not list it (Lotus Domino / Notes), or Exchange's
 * diagnostic code for an unknown recipient ("MSEXCH:IMS:… (000C05A6) Unknown Recipient"), or a mailbox
 * provider saying that its own account system has no such user ("This user doesn't have a yahoo.com account"), or
 * IMail Server's own lookup ("Unknown user: a@b", "Invalid final delivery userid"), or MessageLabs (Symantec
 * Email Security.cloud) checking the address against its customer's list ("542 a@b Rejected", "Recipient mailbox
 * is not allowed").
 */
const MAILBOX_HOST =
  /\b(?:mail\.local|procmail|maildrop)\s*:[^\n]{0,300}\b(?:unknown\s+user|user\s+unknown|no\s+such\s+user)\b|\bnot\s+listed\s+in\s+(?:the\s+)?(?:public\s+|Domino\s+)?(?:Directory|Name\s+(?:&|and)\s+Address\s+Book)\b|\bMSEXCH:[^\n]{0,300}\([0-9A-F]{8}\)\s+Unknown\s+Recipient\b|\buser\s+does(?:n't|\s+not)\s+have\s+an?\s+[\w-]+(?:\.[\w-]+)+\s+account\b|\bunknown\s+user:\s*"|\b542\s+\S{1,254}\s+Rejected\b|\bRecipient\s+mailbox\s+is\s+not\s+allowed\b|^[^\S\n\r\u2028\u2029]*Unknown\s+user:[^\S\n]*<?[^\s@<>]{1,64}@|\bInvalid\s+final\s+delivery\s+userid\b|\bno\s+se\s+encuentra\s+en\s+el\s+Directorio\s+de\s+Domino\b|\bnon\s+r[ée]pertori[ée]\s+dans\s+l'annuaire\s+Domino\b/im;

/**
 * The big mailbox providers (Google, Yahoo, AOL, Microsoft): their own servers hold the account, so their
 * "user unknown" or "does not exist" is the account system's answer, not a filter's.
 */
const MAILBOX_PROVIDER =
  /@(?:[\w-]+\.)*(?:gmail\.com|googlemail\.com|google\.com|yahoo\.(?:com|co\.jp|co\.uk|fr|de)|ymail\.com|aol\.com|aim\.com|verizon\.net|outlook\.(?:com|jp)|hotmail\.[a-z.]+|live\.[a-z.]+|msn\.com|microsoft\.com)$/i;
/**
 * The same providers' own mail servers, named as the server that answered (Remote-MTA, "host … said", Google's
 * help links): their answer is the account system's too, whatever the recipient's domain (Google Workspace,
 * Microsoft 365 and Yahoo host other domains).
 */
const PROVIDER_HOST =
  /\b(?:google\.com|googlemail\.com|gmail-smtp-in\.l\.google\.com|yahoodns\.net|yahoo\.com|aol\.com|protection\.outlook\.com|outlook\.com|hotmail\.com)\b/i;
/**
 * Words that say the mailbox does not exist in so many words ("no such user", "does not exist", qmail's "no
 * mailbox here by that name", Zoho's "Invalid Address", Sun Messaging Server's "unknown or illegal alias", qmail's
 * badrcptto and validrcptto lists, vpopmail's "invalid or unknown virtual user", Exchange's RESOLVER.ADR): a filter
 * says "user unknown", never these.
 */
const DEFINITE =
  /\bno\s+such\s+(?:user|mailbox|recipient|account|local\s+user)\b|\b(?:does\s+not|doesn't)\s+exist\b|\bno\s+mailbox\s+here\b|\b(?:account|mailbox|address)\s+(?:not\s+found|could\s?n[o']t\s+be\s+found)\b|\bRecip(?:ient)?NotFound\b|\binvalid\s+(?:address|recipient|mailbox|user)\b|\billegal\s+alias\b|\bbadrcptto\b|\bbadrecipientto\b|\bvalidrcptto\b|\bno\s+account\s+by\s+that\s+name\b|\bno\s+mail\s?box\s+(?:available\s+for\s+this\s+user|by\s+that\s+name|found)\b|\bnot\s+an\s+active\s+address\s+at\s+this\s+host\b|\bno\s+one\s+at\s+this\s+address\b|\binvalid\s+or\s+unknown\s+virtual\s+user\b|\bRESOLVER\.ADR\.Recip/i;

// Issue 17: every pattern here is linear. A line-start `^\s*` under the m flag would cross line ends and
// read a run of empty lines again from each of them, so line-start space is `[^\S\n\r\u2028\u2029]*` (the
// same matches); the gap between an agent's name and its verdict is bounded to one line's worth.

/**
 * "User unknown" (and "no such user", "does not exist") is hard: the server that holds the mailbox, or the
 * mailbox provider itself, says the address is dead. It is a filter's verdict, soft `policy`, when said after
 * the end of DATA or to a Sendmail transcript's DATA (the address had been accepted at RCPT), by a
 * content-security gateway with no status that confirms it, with X.2.1 ("mailbox disabled") and not at RCPT,
 * or by a Japanese carrier (issue 9) with no evidence that the address itself was refused: an X.1.x status, a
 * refusal at RCPT, or the mailbox host's own lookup. Any other reason is returned as it is.
 */
export function filteredUnknown(
  reason: BounceReason,
  status: string,
  msg: BounceMessage,
  words: string,
  recipient: string,
): BounceReason {
  if (reason !== 'user_unknown') return reason;
  const headers = [
    msg.from.address,
    ...['x-nai-header', 'x-mailer', 'received', 'message-id'].flatMap(msg.header),
  ];
  // Said in reply to MAIL FROM, "unknown" is about our sender address, not the reader's (Exim "after MAIL FROM",
  // Postfix "in reply to MAIL FROM command", a transcript's `>>> MAIL From:` answered 5xx).
  if (AT_MAIL_FROM.test(words) && !AT_RCPT.test(words)) return 'rejected';
  // The status names the address itself as unknown (X.1.1, X.1.3): that outranks the stage it was said at.
  if (/^\d\.1\.[13]$/.test(status)) return reason;
  const gateway = headers.some((h) => FILTER_GATEWAY.test(h));
  const unconfirmed = !status || status.endsWith('.0.0');
  const disabled = /^\d\.2\.1$/.test(status) && !AT_RCPT.test(words);
  if ((gateway && unconfirmed) || disabled || AFTER_DATA.test(words)) return 'policy';
  const provider =
    MAILBOX_PROVIDER.test(recipient) ||
    MAILBOX_PROVIDER.test(msg.from.address) ||
    PROVIDER_HOST.test(words) ||
    msg.deliveryStatus.some((part) => PROVIDER_HOST.test(remoteMta(part)));
  const named = provider || MAILBOX_HOST.test(words) || DEFINITE.test(words);
  // Sendmail answers a DATA refusal with a "550 5.1.1 <a@b>... User unknown" line of its own: the remote server
  // said it to the message, so only the remote server's own words about the address count then.
  if (TRANSCRIPT_DATA.test(words) && !AT_RCPT.test(words) && !/^\d\.1\./.test(status))
    return named ? reason : 'policy';
  const evidence =
    /^\d\.1\.\d{1,3}$/.test(status) ||
    ADDRESS_STATUS.test(words) ||
    AT_RCPT.test(words) ||
    MAILBOX_HOST.test(words);
  if (evidence) return reason;
  if (TRANSCRIPT_DATA.test(words) || JA_CARRIER.test(recipient)) return 'policy';
  return named ? reason : 'policy';
}

/** The Remote-MTA names of a DSN part (the servers that answered), one per line. */
function remoteMta(part: string): string {
  return [...part.matchAll(/^Remote-MTA:[^\S\n]*([^\n]{0,300})/gim)].map((m) => m[1]).join('\n');
}
