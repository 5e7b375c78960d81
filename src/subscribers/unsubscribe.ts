import type { Config } from '../config.ts';
import { signToken, verifyToken } from '../tokens.ts';
import type { Subscriber } from './subscriber-schema.ts';
import type { LeaveOutcome, SubscriberStore } from './subscriber-store.ts';

/** A token refused: cut short or altered (malformed), not signed by us or for another purpose (forged), or too old. */
export type TokenRefusal = 'malformed' | 'forged' | 'expired';

/** What an unsubscribe token carries: the subscriber and the send whose mail held it ('0' for none). */
export type UnsubscribeTokenResult =
  | { ok: true; subscriberId: number; sendId: string }
  | { ok: false; reason: TokenRefusal };

/** The outcome of an unsubscribe request, whichever way it came (link, one-click POST, mailto). */
export type UnsubscribeResult =
  | { ok: true; outcome: LeaveOutcome; subscriber: Subscriber | null }
  | { ok: false; reason: TokenRefusal };

/**
 * Signs an unsubscribe token for a subscriber and a send (`sendId` a lower-case id, '0' for none).
 * It never expires: RFC 8058 one-click links must keep working in old mail.
 */
export function unsubscribeToken(secret: string, subscriberId: number, sendId: string): string {
  return signToken(secret, 'unsubscribe', [String(subscriberId), sendId]);
}

/** The unsubscribe page and one-click URL, `PUBLIC_URL/u/<token>`. */
export function unsubscribeUrl(
  config: Pick<Config, 'GAZETTE_SECRET' | 'PUBLIC_URL'>,
  subscriberId: number,
  sendId: string,
): string {
  return `${config.PUBLIC_URL}/u/${unsubscribeToken(config.GAZETTE_SECRET, subscriberId, sendId)}`;
}

/**
 * The unsubscribe mail address for a token, `unsubscribe+<token>@BOUNCE_DOMAIN` (without `mailto:`).
 * Throws if the local part would pass the 64 characters RFC 5321 allows (keep send ids short).
 */
export function unsubscribeMailto(config: Pick<Config, 'BOUNCE_DOMAIN'>, token: string): string {
  const local = `unsubscribe+${token}`;
  if (local.length > 64)
    throw new Error(`unsubscribe address local part is ${local.length} characters (max 64)`);
  return `${local}@${config.BOUNCE_DOMAIN.toLowerCase()}`;
}

/** Token, URL and mailto address of one recipient, signing once (for the sender's hot path). */
export function unsubscribeLinks(
  config: Pick<Config, 'GAZETTE_SECRET' | 'PUBLIC_URL' | 'BOUNCE_DOMAIN'>,
  subscriberId: number,
  sendId: string,
): { token: string; url: string; mailto: string } {
  const token = unsubscribeToken(config.GAZETTE_SECRET, subscriberId, sendId);
  return { token, url: `${config.PUBLIC_URL}/u/${token}`, mailto: unsubscribeMailto(config, token) };
}

/**
 * Finds the token in an address such as `unsubscribe+<token>@BOUNCE_DOMAIN` (also with `mailto:`,
 * angle brackets or a display name). Returns null when the address is not one of ours; the token is
 * not verified here (`unsubscribeWithToken` does that).
 */
export function parseUnsubscribeAddress(
  address: string,
  config: Pick<Config, 'BOUNCE_DOMAIN'>,
): string | null {
  const bare = (/<([^<>]*)>\s*$/.exec(address)?.[1] ?? address).trim().replace(/^mailto:/i, '');
  const match = /^unsubscribe\+([^@\s]+)@([^@\s?]+)$/i.exec(bare);
  if (!match || match[2]?.toLowerCase() !== config.BOUNCE_DOMAIN.toLowerCase()) return null;
  return match[1]?.toLowerCase() ?? null;
}

/** Checks an unsubscribe token and reads its fields. */
export function readUnsubscribeToken(secret: string, token: string, now?: number): UnsubscribeTokenResult {
  const result = verifyToken(secret, 'unsubscribe', token, now);
  if (!result.ok) return result;
  const [id, sendId] = result.fields;
  if (result.fields.length !== 2 || !id || !sendId || !/^[1-9]\d{0,15}$/.test(id)) {
    return { ok: false, reason: 'malformed' };
  }
  return { ok: true, subscriberId: Number(id), sendId };
}

/**
 * Unsubscribes the subscriber a token names: the one code path behind the one-click POST, the
 * page's button and the mailto address. Records how and who, suppresses the address, counts the
 * send; harmless to repeat. A refused token changes nothing.
 */
export async function unsubscribeWithToken(
  deps: { subscribers: SubscriberStore; config: Pick<Config, 'GAZETTE_SECRET'> },
  token: string,
  how: { via: string; by: string },
): Promise<UnsubscribeResult> {
  const read = readUnsubscribeToken(deps.config.GAZETTE_SECRET, token, deps.subscribers.clock());
  if (!read.ok) return read;
  const outcome = await deps.subscribers.unsubscribe(read.subscriberId, { ...how, sendId: read.sendId });
  return { ok: true, outcome, subscriber: await deps.subscribers.get(read.subscriberId) };
}
