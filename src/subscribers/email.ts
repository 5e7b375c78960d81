import { domainToASCII } from 'node:url';

/** RFC 5322 dot-atom local part (ASCII only: quoted local parts and SMTPUTF8 are refused). */
const LOCAL_PART = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;
/** One DNS label after punycode conversion (RFC 1035 as relaxed by RFC 1123). */
const LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

function isLabel(label: string): boolean {
  return LABEL.test(label);
}

export type EmailResult = { ok: true; email: string } | { ok: false; reason: string };

/** Quotes a value for a message: JSON escapes keep control characters out of terminals and pages. */
export function quote(value: string, max = 80): string {
  return JSON.stringify(value.length > max ? `${value.slice(0, max)}…` : value);
}

/**
 * Validates and normalises an e-mail address: trims it, lower-cases the domain and converts an
 * IDN domain to punycode; the local part keeps its case (it is the mailbox owner's to define).
 * Returns the reason, as a sentence naming the value, when the address is not usable.
 */
export function normaliseEmail(input: string): EmailResult {
  const value = input.trim();
  const bad: EmailResult = { ok: false, reason: `${quote(value)} is not a valid e-mail address` };
  if (value === '') return { ok: false, reason: 'the e-mail address is empty' };
  const at = value.lastIndexOf('@');
  if (at <= 0) return bad;
  const local = value.slice(0, at);
  const domain = domainToASCII(value.slice(at + 1).toLowerCase());
  if (local.length > 64 || !LOCAL_PART.test(local) || domain === '') return bad;
  const labels = domain.split('.');
  // A bare host name ("user@localhost") or an all-digit top-level domain cannot receive Internet mail.
  if (labels.length < 2 || !labels.every(isLabel) || /^\d+$/.test(labels.at(-1) ?? '')) return bad;
  const email = `${local}@${domain}`;
  if (email.length > 254) return bad;
  return { ok: true, email };
}

/**
 * The identity of an address for uniqueness and suppression: the whole normalised address in lower
 * case, so that `Taro@example.jp` and `taro@example.jp` are one person and one opt-out covers both.
 */
export function emailKey(email: string): string {
  return email.toLowerCase();
}

/** Domains whose mailboxes ignore dots in the local part (Gmail). */
const DOTLESS_DOMAINS = new Set(['gmail.com', 'googlemail.com']);

/**
 * The mailbox an address delivers to, for sign-up limits: lower case, `+tag` removed and, at Gmail,
 * dots removed, so that `T.a.r.o+1@GMail.com` and `taro+2@gmail.com` count as one inbox.
 */
export function mailboxKey(email: string): string {
  const key = emailKey(email);
  const at = key.lastIndexOf('@');
  let local = key.slice(0, at).split('+')[0] ?? '';
  let domain = key.slice(at + 1);
  if (DOTLESS_DOMAINS.has(domain)) {
    local = local.replaceAll('.', '');
    domain = 'gmail.com';
  }
  return `${local}@${domain}`;
}
