import { createClickSigner } from '../../clicks/click-token.ts';
import { archivePath } from '../../compose/archive-path.ts';
import { type CompiledIssue, trackedLinkIds } from '../../compose/compiled.ts';
import type { Config } from '../../config.ts';
import { unsubscribeLinks } from '../../subscribers/unsubscribe.ts';
import { signToken } from '../../tokens.ts';
import { testPreviewUrl } from './test-preview.ts';

/** The per-recipient addresses and links of one message. */
export interface RecipientLinks {
  unsubscribeUrl: string;
  unsubscribeMailto: string;
  /** VERP envelope sender: bounces come back to an address naming the send and the subscriber. */
  returnPath: string;
  webUrl: string;
}

/**
 * Signs the unsubscribe and VERP tokens of one recipient of a send and builds their links (the
 * unsubscribe ones through the subscriber module, which reads them back). The web version is the
 * issue's archive page in the reader's edition (`/archive/<n>` the default, `/archive/<n>/<locale>`
 * another), the same for every reader of it; a test send (not in the archive yet) links a signed,
 * expiring preview of itself instead. Throws if an address would pass 64 characters.
 */
export function recipientLinks(
  config: Config,
  sendId: string,
  subscriberId: number,
  issue: number,
  test = false,
  edition?: string,
): RecipientLinks {
  const unsubscribe = unsubscribeLinks(config, subscriberId, sendId);
  const bounce = signToken(config.GAZETTE_SECRET, 'bounce', [sendId, String(subscriberId)]);
  return {
    unsubscribeUrl: unsubscribe.url,
    unsubscribeMailto: `mailto:${unsubscribe.mailto}`,
    returnPath: `bounces+${bounce}@${config.BOUNCE_DOMAIN}`,
    webUrl: test ? testPreviewUrl(config, sendId) : `${config.PUBLIC_URL}${archivePath(issue, edition)}`,
  };
}

/**
 * Prepares the click URLs (`PUBLIC_URL/c/<token>`, by link id, the hidden trap link's too) of a tracked
 * send: call once per send, then once per reader, who costs only their tokens (signed with the render time).
 */
export function clickLinks(
  config: Config,
  sendId: string,
  compiled: CompiledIssue,
): (subscriberId: number) => Record<string, string> {
  const tokens = createClickSigner(config.GAZETTE_SECRET, sendId, trackedLinkIds(compiled));
  const base = `${config.PUBLIC_URL}/c/`;
  return (subscriberId) => {
    const out = tokens(subscriberId);
    for (const id in out) out[id] = base + out[id];
    return out;
  };
}
