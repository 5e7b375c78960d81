import type { Config } from '../../config.ts';
import { parseUnsubscribeAddress } from '../../subscribers/unsubscribe.ts';
import { verifyToken } from '../../tokens.ts';

/** What a VERP token names, or why it names nothing: absent, cut short or altered, not ours, or too old. */
export type VerpResult =
  | { ok: true; sendId: string; subscriberId: number }
  | { ok: false; reason: 'missing' | 'malformed' | 'forged' | 'expired' };

/** One of our inbound mailboxes: a bounce address (token may be '') or an unsubscribe address. */
export type Mailbox = { kind: 'bounce'; token: string } | { kind: 'unsubscribe'; token: string };

/**
 * Says which of our mailboxes an envelope recipient is: `bounces[+<token>]@BOUNCE_DOMAIN` (the VERP
 * return path of src/send/message/recipient-links.ts) or `unsubscribe+<token>@BOUNCE_DOMAIN`; null for any
 * other address. Tokens are not verified here.
 */
export function mailboxOf(address: string, config: Pick<Config, 'BOUNCE_DOMAIN'>): Mailbox | null {
  const unsubscribe = parseUnsubscribeAddress(address, config);
  if (unsubscribe !== null) return { kind: 'unsubscribe', token: unsubscribe };
  const match = /^bounces(?:\+([^@\s]*))?@([^@\s]+)$/i.exec(address.trim());
  if (!match || match[2]?.toLowerCase() !== config.BOUNCE_DOMAIN.toLowerCase()) return null;
  return { kind: 'bounce', token: (match[1] ?? '').toLowerCase() };
}

/** Verifies a VERP token (purpose `bounce`, fields send id and subscriber id) and reads what it names. */
export function readVerpToken(secret: string, token: string, now?: number): VerpResult {
  if (token === '') return { ok: false, reason: 'missing' };
  const result = verifyToken(secret, 'bounce', token, now);
  if (!result.ok) return result;
  const [sendId, id] = result.fields;
  if (result.fields.length !== 2 || !sendId || !id || !/^\d{1,15}$/.test(id)) {
    return { ok: false, reason: 'malformed' };
  }
  return { ok: true, sendId, subscriberId: Number(id) };
}
