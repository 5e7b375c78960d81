import { createHash, createVerify, type KeyObject } from 'node:crypto';

/** What checking a DKIM-Signature (relaxed/relaxed, rsa-sha256) found. */
export interface DkimCheck {
  bodyHashOk: boolean;
  signatureOk: boolean;
  /** The signed header names, lower-case, in order. */
  signed: string[];
  domain: string;
  selector: string;
}

/** Header fields of a raw message as [name, raw field text including folds], in order. */
function fields(head: string): [string, string][] {
  return head
    .split(/\r\n(?![ \t])/)
    .filter(Boolean)
    .map((f) => [f.slice(0, f.indexOf(':')).trim().toLowerCase(), f]);
}

/** RFC 6376 3.4.2 relaxed header canonicalization. */
function relaxedHeader(name: string, field: string): string {
  const value = field
    .slice(field.indexOf(':') + 1)
    .replace(/\r\n/g, '')
    .replace(/[ \t]+/g, ' ')
    .trim();
  return `${name}:${value}`;
}

/** RFC 6376 3.4.4 relaxed body canonicalization. */
function relaxedBody(body: string): string {
  const lines = body.split('\r\n').map((l) => l.replace(/[ \t]+/g, ' ').replace(/ $/, ''));
  while (lines.length > 0 && lines.at(-1) === '') lines.pop();
  return lines.length ? `${lines.join('\r\n')}\r\n` : '';
}

/**
 * Verifies the first DKIM-Signature of a raw message against `publicKey`, written from RFC 6376
 * apart from nodemailer's signer so that the test checks the signer rather than itself.
 */
export function verifyDkim(raw: Buffer, publicKey: KeyObject): DkimCheck {
  const text = raw.toString('latin1');
  const split = text.indexOf('\r\n\r\n');
  const all = fields(text.slice(0, split + 2));
  const sigField = all.find(([n]) => n === 'dkim-signature');
  if (!sigField) throw new Error('no DKIM-Signature header');
  const tags = Object.fromEntries(
    relaxedHeader('x', sigField[1])
      .slice(2)
      .split(';')
      .map((t) => t.trim())
      .filter(Boolean)
      .map((t) => [t.slice(0, t.indexOf('=')), t.slice(t.indexOf('=') + 1).replace(/\s+/g, '')]),
  ) as Record<string, string>;
  const bodyHash = createHash('sha256')
    .update(relaxedBody(text.slice(split + 4)), 'latin1')
    .digest('base64');
  const signed = (tags.h ?? '').toLowerCase().split(':');
  const used = new Map<string, number>();
  const lines: string[] = [];
  for (const name of signed) {
    const matches = all.filter(([n]) => n === name);
    const k = (used.get(name) ?? 0) + 1;
    used.set(name, k);
    const field = matches[matches.length - k];
    if (field) lines.push(`${relaxedHeader(name, field[1])}\r\n`);
  }
  const unsigned = relaxedHeader('dkim-signature', sigField[1]).replace(/b=[^;]*$/, 'b=');
  const verifier = createVerify('RSA-SHA256');
  verifier.update(lines.join('') + unsigned, 'latin1');
  return {
    bodyHashOk: bodyHash === tags.bh,
    signatureOk: verifier.verify(publicKey, tags.b ?? '', 'base64'),
    signed,
    domain: tags.d ?? '',
    selector: tags.s ?? '',
  };
}
