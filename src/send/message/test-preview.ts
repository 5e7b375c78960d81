import type { Config } from '../../config.ts';
import { signToken, verifyToken } from '../../tokens.ts';

/** How long a test mail's "view in browser" link works: long enough to review, short enough not to leak. */
export const TEST_PREVIEW_DAYS = 30;

/** The signed, expiring web-version URL of a test send, served by `gazette server` at /archive/test/<token>. */
export function testPreviewUrl(config: Config, sendId: string, now: number = Date.now()): string {
  const expires = new Date(now + TEST_PREVIEW_DAYS * 86_400_000);
  return `${config.PUBLIC_URL}/archive/test/${signToken(config.GAZETTE_SECRET, 'preview', [sendId], expires)}`;
}

/** The send id a test-preview token names, or why it was refused (malformed, forged, expired). */
export function readTestPreviewToken(
  secret: string,
  token: string,
  now: number = Date.now(),
): { ok: true; sendId: string } | { ok: false; reason: 'malformed' | 'forged' | 'expired' } {
  const result = verifyToken(secret, 'preview', token, now);
  if (!result.ok) return result;
  const [sendId] = result.fields;
  return result.fields.length === 1 && sendId ? { ok: true, sendId } : { ok: false, reason: 'malformed' };
}
