/**
 * An RFC 3463 enhanced status code (class.subject.detail) in free text. Not inside an IP address or a
 * version number: no word character or dot before it, no digit right after it.
 */
const ENHANCED_STATUS = /(?<![\w.])([245]\.[0-7]\.\d{1,3})(?!\.?\d)/;
/**
 * The same right after a reply code ("550 5.7.1", "550-'5.7.1"): the remote server's own code, which outranks
 * a relay's label before it (old Amazon SES: "5.1.0 - Unknown address error 550-'5.7.1 … Access denied'").
 */
const REPLY_STATUS = /(?<![\w.])[45]\d\d[ -]['"]?([245]\.[0-7]\.\d{1,3})(?!\.?\d)/;
/** An RFC 5321 reply code (4yz or 5yz) standing on its own, as in "550 5.1.1", "550-5.1.1", "554:" or Zoho's "ERROR_CODE :550,". */
const REPLY_CODE = /(?<![\w.])([45][0-5]\d)(?=[\s:,-]|$)/;

const MAX_DIAGNOSTIC = 1000;

/** The first enhanced status code after a reply code in `text`, else the first at all ("5.1.1"); '' when none. */
export function findStatus(text: string): string {
  return (REPLY_STATUS.exec(text) ?? ENHANCED_STATUS.exec(text))?.[1] ?? '';
}

/** The first 4xx/5xx SMTP reply code in `text`, or 0 when there is none. */
export function findReplyCode(text: string): number {
  const m = REPLY_CODE.exec(text);
  return m ? Number(m[1]) : 0;
}

/**
 * A diagnostic as one readable line: the RFC 3464 diagnostic-type ("smtp;") dropped, whitespace and control
 * characters collapsed to single spaces,
 * and the repeated code prefixes of a multi-line reply ("550-5.1.1 … 550-5.1.1 …") kept only once.
 */
export function normalizeDiagnostic(text: string): string {
  let v = text
    .replace(/^\s*(?:smtp|x-[\w-]+|utf-8)\s*;\s*/i, '')
    // Control characters (a hostile bounce's terminal escapes, stray CRs) become spaces.
    .replace(/[\p{Cc}\s]+/gu, ' ')
    .trim();
  const head = /^([45]\d\d)[ -]([245]\.\d\.\d{1,3} )?/.exec(v);
  if (head) {
    const [, code, status = ''] = head;
    const again = new RegExp(`\\s${code}[ -]${status.replace(/\./g, '\\.')}`, 'g');
    v = `${code} ${status}${v.slice(head[0].length).replace(again, ' ')}`;
  }
  return v.length > MAX_DIAGNOSTIC ? `${v.slice(0, MAX_DIAGNOSTIC - 1)}…` : v;
}
