import type { Subscriber } from '../subscribers/subscriber-schema.ts';
import type { SubscriberStore } from '../subscribers/subscriber-store.ts';
import type { BounceStore } from './bounce-store.ts';
import type { BounceEvent } from './event.ts';
import type { PolicySettings } from './policy.ts';

/** Everything known about one address: the subscriber (if any), lists, consent wording, suppression and bounces. */
export interface AddressHistory {
  email: string;
  subscriber: Subscriber | null;
  lists: string[];
  /** The words the subscriber agreed to, when the consent record names a stored wording. */
  consentWording: string | null;
  suppression: { reason: string; at: string } | null;
  softBounces: { count: number; limit: number; days: number; sendsInARow: number };
  events: BounceEvent[];
}

/** What reading a history needs. */
export interface HistoryDeps {
  subscribers: Pick<SubscriberStore, 'findByEmail' | 'listsOf' | 'wordings' | 'suppression'>;
  bounces: Pick<BounceStore, 'forAddress' | 'softCount'>;
  settings: Pick<PolicySettings, 'softLimit' | 'softDays' | 'softSends'>;
  clock?: () => number;
}

/** Reads an address's history; null when Gazette knows nothing about it (no subscriber, suppression or event). */
export async function addressHistory(deps: HistoryDeps, email: string): Promise<AddressHistory | null> {
  const subscriber = await deps.subscribers.findByEmail(email);
  const address = subscriber?.email ?? email;
  const [lists, wordings, suppression, events, soft] = await Promise.all([
    subscriber ? deps.subscribers.listsOf([subscriber.id]).then((l) => l[0] ?? []) : Promise.resolve([]),
    subscriber?.consent ? deps.subscribers.wordings() : Promise.resolve({} as Record<string, string>),
    deps.subscribers.suppression(address),
    deps.bounces.forAddress(address),
    deps.bounces.softCount(address, (deps.clock ?? Date.now)()),
  ]);
  if (!subscriber && !suppression && events.length === 0) return null;
  return {
    email: address,
    subscriber,
    lists,
    consentWording: subscriber?.consent ? (wordings[subscriber.consent.wordingId] ?? null) : null,
    suppression,
    softBounces: {
      count: soft,
      limit: deps.settings.softLimit,
      days: deps.settings.softDays,
      sendsInARow: deps.settings.softSends,
    },
    events,
  };
}
