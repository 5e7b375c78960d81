import type { Config } from '../../config.ts';
import { signToken, verifyToken } from '../../tokens.ts';
import { emailKey } from '../email.ts';
import { type PendingConfirmation, packConsent } from '../subscriber-record.ts';
import type { Subscriber } from '../subscriber-schema.ts';
import type { SubscriberStore } from '../subscriber-store.ts';
import type { TokenRefusal } from '../unsubscribe.ts';

/** How long a confirmation link works. */
export const CONFIRM_DAYS = 7;

/** What double opt-in needs: the subscriber store and the settings for links. */
export interface ConfirmDeps {
  subscribers: SubscriberStore;
  config: Pick<Config, 'GAZETTE_SECRET'>;
}

export type ConfirmResult =
  | { ok: true; outcome: 'confirmed' | 'already'; subscriber: Subscriber }
  | { ok: false; reason: TokenRefusal | 'used' };

/** The signed token of a confirmation link: names the subscriber and the request, works CONFIRM_DAYS from `since`. */
export function confirmToken(secret: string, id: number, nonce: string, since: number): string {
  const expires = new Date(since + CONFIRM_DAYS * 86_400_000);
  return signToken(secret, 'confirm', [String(id), nonce], expires);
}

/** What a confirmation link names, read without changing anything (for the page that asks first). */
export type ConfirmationRead =
  | { ok: true; subscriber: Subscriber; pending: (PendingConfirmation & { packed: string }) | null }
  | { ok: false; reason: TokenRefusal | 'used' };

/** Checks a confirmation link and finds its subscriber; refused, used or replaced links say why. */
export async function readConfirmation(
  deps: Pick<ConfirmDeps, 'subscribers' | 'config'>,
  token: string,
): Promise<ConfirmationRead> {
  const { subscribers } = deps;
  const read = verifyToken(deps.config.GAZETTE_SECRET, 'confirm', token, subscribers.clock());
  if (!read.ok) return read;
  const [id, nonce] = read.fields;
  if (read.fields.length !== 2 || !id || !/^[1-9]\d{0,15}$/.test(id))
    return { ok: false, reason: 'malformed' };
  const [subscriber, pending] = await Promise.all([
    subscribers.get(Number(id)),
    subscribers.pendingConfirmation(Number(id)),
  ]);
  if (!subscriber) return { ok: false, reason: 'used' };
  if (!pending || pending.nonce !== nonce) {
    return subscriber.status === 'active'
      ? { ok: true, subscriber, pending: null }
      : { ok: false, reason: 'used' };
  }
  return { ok: true, subscriber, pending };
}

/**
 * Confirms a subscription from the link in the confirmation mail: the subscriber becomes active on
 * the requested lists, their address leaves the suppression list, and consent is recorded (source,
 * time, the requester's IP, the wording id, the form's URL). A refused, used or replaced link changes nothing.
 */
export async function confirmWithToken(
  deps: Pick<ConfirmDeps, 'subscribers' | 'config'>,
  token: string,
): Promise<ConfirmResult> {
  const { subscribers } = deps;
  const now = subscribers.clock();
  const found = await readConfirmation(deps, token);
  if (!found.ok) return found;
  const { subscriber, pending } = found;
  if (!pending) return { ok: true, outcome: 'already', subscriber };
  const consent = packConsent({
    source: pending.source,
    at: now,
    by: pending.by,
    wordingId: pending.wordingId,
    formUrl: pending.formUrl,
  });
  const [result] = await subscribers.applyMany([
    {
      id: subscriber.id,
      change: {
        from: '',
        to: 'a',
        guard: ['q', pending.packed],
        set: { k: consent },
        del: ['q', 'x'],
        unsuppress: emailKey(subscriber.email),
      },
      lists: pending.lists,
    },
  ]);
  if (!result?.applied) return { ok: false, reason: 'used' };
  const confirmed = await subscribers.get(subscriber.id);
  return confirmed
    ? { ok: true, outcome: 'confirmed', subscriber: confirmed }
    : { ok: false, reason: 'used' };
}
