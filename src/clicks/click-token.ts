import { signToken, verifyToken } from '../tokens.ts';

/** What a click token names. */
export interface ClickTarget {
  sendId: string;
  subscriberId: number;
  linkId: string;
  /**
   * When the message was rendered for the reader (ms, whole seconds), about when it was delivered; null
   * for tokens signed before the time was carried. How long after delivery a click came is what tells
   * a link scanner from a person (src/clicks/click-store.ts).
   */
  renderedAt: number | null;
}

/**
 * The click token of one link for one reader: `signToken(secret, 'click', [send, subscriber, link,
 * render time])`, the time as seconds since the epoch in base 36.
 */
export function clickToken(secret: string, t: ClickTarget): string {
  const fields = [t.sendId, String(t.subscriberId), t.linkId];
  if (t.renderedAt !== null) fields.push(Math.floor(t.renderedAt / 1000).toString(36));
  return signToken(secret, 'click', fields);
}

/** Reads a click token (with or without its render time); null when it is malformed, forged, expired or signed for another purpose. */
export function readClickToken(secret: string, token: string): ClickTarget | null {
  const result = verifyToken(secret, 'click', token);
  if (!result.ok || result.fields.length < 3 || result.fields.length > 4) return null;
  const [sendId, sub, linkId, at] = result.fields as [string, string, string, string | undefined];
  if (!/^\d{1,10}$/.test(sub)) return null;
  if (at !== undefined && !/^[0-9a-z]{1,8}$/.test(at)) return null;
  const renderedAt = at === undefined ? null : parseInt(at, 36) * 1000;
  return { sendId, subscriberId: Number(sub), linkId, renderedAt };
}

/**
 * Signs every link of a message for one reader with clickToken, with the time it is rendered. The link
 * ids are checked once, when the signer is made: it throws like signToken if one is not a token field.
 */
export function createClickSigner(
  secret: string,
  sendId: string,
  linkIds: readonly string[],
  clock: () => number = Date.now,
): (subscriberId: number) => Record<string, string> {
  for (const linkId of linkIds) clickToken(secret, { sendId, subscriberId: 0, linkId, renderedAt: null });
  return (subscriberId) => {
    const renderedAt = clock();
    const out: Record<string, string> = {};
    for (const linkId of linkIds)
      out[linkId] = clickToken(secret, { sendId, subscriberId, linkId, renderedAt });
    return out;
  };
}
