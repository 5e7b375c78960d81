import { encodeWord } from 'nodemailer/lib/mime-funcs';
import { oneLine } from '../../text/one-line.ts';

/** Characters that may appear in a header phrase as they are (RFC 5322 atext plus spaces). */
const PLAIN_PHRASE = /^[A-Za-z0-9 !#$%&'*+/=?^_`{|}~-]*$/;
/** A deliberately strict ASCII address (a single-label domain such as localhost is allowed for development). */
const SAFE_ADDRESS = /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*$/;
/** Lines are folded before this length (RFC 5322 2.1.1 recommends 78 characters). */
const FOLD_AT = 76;

/** True for an address we put in an envelope or a header as it is; anything else is not mailed. */
export function isSafeAddress(address: string): boolean {
  return address.length <= 254 && SAFE_ADDRESS.test(address);
}

/**
 * Encodes text for a header phrase (a display name, a subject): plain ASCII words stay readable,
 * anything else becomes RFC 2047 encoded words of at most 75 characters, separated by spaces
 * so that the line can be folded between them.
 */
export function encodePhrase(text: string): string {
  const clean = oneLine(text);
  if (PLAIN_PHRASE.test(clean) && !clean.includes('=?')) return clean;
  return encodeWord(clean, 'B', 60);
}

/** `Name <address>` with the name encoded, or the bare address when there is no name. */
export function formatMailbox(name: string | undefined, address: string): string {
  const phrase = name ? encodePhrase(name) : '';
  return phrase ? `${phrase} <${address}>` : address;
}

/**
 * Formats one header field, folding long values at spaces so that no line passes 76 characters
 * where a space allows it. Folding only adds CRLF before existing whitespace, which relaxed DKIM
 * canonicalization (RFC 6376 3.4.2) removes again, so a signature over the field stays valid.
 */
export function headerLine(name: string, value: string): string {
  const words = value.split(' ');
  let out = `${name}:`;
  let lineLength = out.length;
  for (const word of words) {
    if (lineLength + 1 + word.length > FOLD_AT && lineLength > name.length + 1) {
      out += `\r\n ${word}`;
      lineLength = 1 + word.length;
    } else {
      out += ` ${word}`;
      lineLength += 1 + word.length;
    }
  }
  return `${out}\r\n`;
}
