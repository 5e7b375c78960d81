import { createHash, type KeyObject, sign } from 'node:crypto';

/** The signing domain (d=), the selector (s=) and the RSA private key of a DKIM signature. */
export interface DkimKey {
  domain: string;
  selector: string;
  privateKey: KeyObject;
}

/**
 * Header fields each signature covers, every instance present. List-Unsubscribe-Post must be signed
 * with List-Unsubscribe (RFC 8058 section 4).
 */
const SIGNED = [
  'from',
  'sender',
  'reply-to',
  'subject',
  'date',
  'message-id',
  'to',
  'cc',
  'mime-version',
  'content-type',
  'content-transfer-encoding',
  'list-id',
  'list-unsubscribe',
  'list-unsubscribe-post',
  'feedback-id',
];

/**
 * Fields named once more in h= than the message holds (RFC 6376 section 8.15): the extra name
 * signs an absent field, so a second From, Subject, To or unsubscribe header added on the way
 * (which a reader's client may show instead of ours) breaks the signature.
 */
const OVERSIGNED = new Set(['from', 'subject', 'to', 'list-unsubscribe', 'list-unsubscribe-post']);

/** RFC 6376 section 3.4.2: lower-case name, unfolded value with whitespace runs as one space. */
function relaxedHeader(name: string, field: string): string {
  const value = field
    .slice(field.indexOf(':') + 1)
    .replace(/\r\n/g, '')
    .replace(/[ \t]+/g, ' ')
    .trim();
  return `${name}:${value}`;
}

/** RFC 6376 section 3.4.4: whitespace runs as one space, none at line ends, no empty lines at the end. */
function relaxedBody(body: string): string {
  const lines = body.split('\r\n').map((l) => l.replace(/[ \t]+/g, ' ').replace(/ $/, ''));
  while (lines.length > 0 && lines.at(-1) === '') lines.pop();
  return lines.length ? `${lines.join('\r\n')}\r\n` : '';
}

/** Folds `items` joined by `sep` into lines of about 72 characters, continued with a space. */
function fold(items: string[], sep: string): string {
  const lines = [''];
  for (const [i, item] of items.entries()) {
    const piece = i < items.length - 1 ? item + sep : item;
    if ((lines.at(-1) as string).length + piece.length > 72 && lines.at(-1) !== '') lines.push('');
    lines[lines.length - 1] += piece;
  }
  return lines.map((l) => l.trimEnd()).join('\r\n ');
}

/**
 * Signs a raw message (CRLF line ends) with DKIM, rsa-sha256 and relaxed/relaxed, and returns it
 * with its DKIM-Signature field first. Throws only when the key cannot sign (not an RSA key).
 */
export function signDkim(raw: Buffer, key: DkimKey): Buffer {
  const text = raw.toString('latin1');
  const split = text.indexOf('\r\n\r\n');
  const head = split < 0 ? text : text.slice(0, split + 2);
  const body = split < 0 ? '' : text.slice(split + 4);
  const fields = head
    .split(/\r\n(?![ \t])/)
    .filter(Boolean)
    .map((f) => [f.slice(0, f.indexOf(':')).trim().toLowerCase(), f] as const);

  const names: string[] = [];
  const lines: string[] = [];
  for (const name of SIGNED) {
    // The last instance first (section 5.4.2), then the ones above it.
    const present = fields.filter(([n]) => n === name).reverse();
    for (const [, field] of present) {
      names.push(name);
      lines.push(`${relaxedHeader(name, field)}\r\n`);
    }
    if (OVERSIGNED.has(name)) names.push(name);
  }

  const bodyHash = createHash('sha256').update(relaxedBody(body), 'latin1').digest('base64');
  const unsigned = fold(
    [
      'DKIM-Signature: v=1',
      'a=rsa-sha256',
      'c=relaxed/relaxed',
      `d=${key.domain}`,
      `s=${key.selector}`,
      `bh=${bodyHash}`,
      `h=${fold(names, ':')}`,
      'b=',
    ],
    '; ',
  );
  const data = lines.join('') + relaxedHeader('dkim-signature', unsigned);
  const b = sign('sha256', Buffer.from(data, 'latin1'), key.privateKey).toString('base64');
  const signature = `${unsigned}\r\n ${fold(b.match(/.{1,72}/g) ?? [], '')}\r\n`;
  return Buffer.concat([Buffer.from(signature, 'latin1'), raw]);
}
