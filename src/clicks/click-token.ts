import { hash } from 'node:crypto';
import { signToken, verifyToken } from '../tokens.ts';

/** What a click token names. */
export interface ClickTarget {
  sendId: string;
  subscriberId: number;
  linkId: string;
}

const SIG_HEX = 24;
const BLOCK = 64;

/**
 * The click token of one link for one reader: `signToken(secret, 'click', [send, subscriber, link])`.
 * For a whole message use createClickSigner, which makes the same tokens for less.
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
 * Signs every link of a message for one reader, producing exactly clickToken's tokens. HMAC-SHA256
 * is computed by hand (RFC 2104: H(K^opad || H(K^ipad || m))) with Node's one-shot `hash`: the key
 * pads and the prefix `click\0<send>.` are laid out once per send and `<subscriber>.` once per
 * reader, so each link costs two one-shot hashes and no Hmac object (about 2.5 times cheaper here).
 * Throws like signToken if a link id is not a token field.
 */
export function createClickSigner(
  secret: string,
  sendId: string,
  linkIds: readonly string[],
): (subscriberId: number) => Record<string, string> {
  // Validates the fields once, the same way signToken does (it throws on a bad one).
  for (const id of linkIds) signToken(secret, 'click', [sendId, '0', id]);
  let key = Buffer.from(secret);
  if (key.length > BLOCK) key = hash('sha256', key, 'buffer');
  const pad = (byte: number) => {
    const out = Buffer.alloc(BLOCK, byte);
    for (let i = 0; i < key.length; i++) out[i] = (key[i] as number) ^ byte;
    return out;
  };
  const innerPrefix = Buffer.concat([pad(0x36), Buffer.from(`click\0${sendId}.`)]);
  const outer = Buffer.alloc(BLOCK + 32);
  pad(0x5c).copy(outer);
  const suffixes = linkIds.map((id) => [id, `${id}.0`] as const);
  const longest = Math.max(0, ...suffixes.map(([, s]) => s.length));
  return (subscriberId) => {
    const head = `${sendId}.${subscriberId}.`;
    const reader = `${subscriberId}.`;
    const inner = Buffer.allocUnsafe(innerPrefix.length + reader.length + longest);
    innerPrefix.copy(inner);
    const at = innerPrefix.length + inner.write(reader, innerPrefix.length, 'latin1');
    const out: Record<string, string> = {};
    for (const [id, suffix] of suffixes) {
      const end = at + inner.write(suffix, at, 'latin1');
      hash('sha256', inner.subarray(0, end), 'buffer').copy(outer, BLOCK);
      out[id] = `${head}${suffix}.${hash('sha256', outer, 'hex').slice(0, SIG_HEX)}`;
    }
    return out;
  };
}
