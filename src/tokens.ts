import { createHmac, timingSafeEqual } from 'node:crypto';

/** What a token may be used for; a token signed for one purpose never verifies for another. */
export type TokenPurpose = 'unsubscribe' | 'confirm' | 'click' | 'bounce' | 'preview';

/** Token fields are ids: lower-case so that tokens survive mail systems that lower-case addresses (VERP). */
const FIELD = /^[a-z0-9_-]+$/;
/** 96 bits of HMAC-SHA256, as hex: unforgeable online, short enough for a URL or an address local part. */
const SIG_HEX = 24;

export type TokenResult =
  | { ok: true; fields: string[] }
  | { ok: false; reason: 'malformed' | 'forged' | 'expired' };

function signature(secret: string, purpose: TokenPurpose, body: string): string {
  return createHmac('sha256', secret).update(`${purpose}\0${body}`).digest('hex').slice(0, SIG_HEX);
}

/**
 * Signs `fields` for `purpose` into a URL-safe, lower-case token `f1.f2….<expiry>.<sig>`.
 * Throws if a field is empty or holds characters other than a-z, 0-9, `_` and `-`.
 */
export function signToken(
  secret: string,
  purpose: TokenPurpose,
  fields: readonly string[],
  expiresAt?: Date,
): string {
  for (const f of fields) if (!FIELD.test(f)) throw new Error(`token field "${f}" is not a lower-case id`);
  const expiry = expiresAt ? Math.ceil(expiresAt.getTime() / 1000).toString(36) : '0';
  const body = [...fields, expiry].join('.');
  return `${body}.${signature(secret, purpose, body)}`;
}

/** Checks a token for `purpose` in constant time; returns its fields, or why it was refused. */
export function verifyToken(
  secret: string,
  purpose: TokenPurpose,
  token: string,
  now: number = Date.now(),
): TokenResult {
  const parts = token.toLowerCase().split('.');
  if (parts.length < 3 || parts.some((p) => !FIELD.test(p))) return { ok: false, reason: 'malformed' };
  const sig = parts.pop() as string;
  if (sig.length !== SIG_HEX) return { ok: false, reason: 'malformed' };
  const body = parts.join('.');
  const expected = Buffer.from(signature(secret, purpose, body));
  if (!timingSafeEqual(expected, Buffer.from(sig))) return { ok: false, reason: 'forged' };
  const expiry = parseInt(parts.pop() as string, 36);
  if (expiry !== 0 && expiry * 1000 < now) return { ok: false, reason: 'expired' };
  return { ok: true, fields: parts };
}
