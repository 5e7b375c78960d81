import { signToken, verifyToken } from '../tokens.ts';

/** What a click token names. */
export interface ClickTarget {
  sendId: string;
  subscriberId: number;
  linkId: string;
}

/**
 * The click token of one link for one reader: `signToken(secret, 'click', [send, subscriber, link])`.
 */
export function clickToken(secret: string, t: ClickTarget): string {
  return signToken(secret, 'click', [t.sendId, String(t.subscriberId), t.linkId]);
}

/** Reads a click token; null when it is malformed, forged, expired or signed for another purpose. */
export function readClickToken(secret: string, token: string): ClickTarget | null {
  const result = verifyToken(secret, 'click', token);
  if (!result.ok || result.fields.length !== 3) return null;
  const [sendId, sub, linkId] = result.fields as [string, string, string];
  if (!/^\d{1,10}$/.test(sub)) return null;
  return { sendId, subscriberId: Number(sub), linkId };
}

/**
 * Signs every link of a message for one reader with clickToken. The link ids are checked once, when
 * the signer is made: it throws like signToken if one is not a token field.
 */
export function createClickSigner(
  secret: string,
  sendId: string,
  linkIds: readonly string[],
): (subscriberId: number) => Record<string, string> {
  for (const linkId of linkIds) clickToken(secret, { sendId, subscriberId: 0, linkId });
  return (subscriberId) => {
    const out: Record<string, string> = {};
    for (const linkId of linkIds) out[linkId] = clickToken(secret, { sendId, subscriberId, linkId });
    return out;
  };
}
