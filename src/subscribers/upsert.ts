import type { Locale } from '../issue/schema.ts';
import { emailKey } from './email.ts';
import { packConsent, packDeparture, statusCode, suppressionValue } from './subscriber-record.ts';
import {
  type ConsentSource,
  DEFAULT_LIST,
  LEFT_STATUSES,
  type Subscriber,
  type SubscriberInput,
  type SubscriberStatus,
} from './subscriber-schema.ts';
import type { NewSubscriber, SubscriberChange, SubscriberStore } from './subscriber-store.ts';

/** How rows are added: the defaults for missing cells, who vouches for consent, and whether to re-activate. */
export interface UpsertOptions {
  /** Locale for new subscribers whose row names none. */
  locale: Locale;
  /** A list every row joins; rows that name no list and get none here join `default`. */
  list?: string;
  /** Re-activate suppressed addresses and people who left (the editor's explicit decision). */
  resubscribe: boolean;
  consent: { source: ConsentSource; by: string; wordingId: string };
}

/** What happened to one row. `suppressed`: skipped because the address is suppressed or the person left. */
export type UpsertOutcome = 'added' | 'updated' | 'unchanged' | 'suppressed';

type Plan =
  | { kind: 'create'; record: NewSubscriber; unsuppress: boolean }
  | { kind: 'apply'; change: SubscriberChange }
  | { kind: 'skip'; outcome: UpsertOutcome };

/** The lists a row joins. */
export function rowLists(row: SubscriberInput, list: string | undefined): string[] {
  if (row.lists.length === 0) return [list ?? DEFAULT_LIST];
  return [...new Set(list ? [...row.lists, list] : row.lists)];
}

/** What every row of one batch shares: the options, and consent and departure records stamped now. */
export interface BatchStamp {
  opts: UpsertOptions;
  now: number;
  /** Packed consent record for rows that become active. */
  consent: string;
  /** Packed departure record for rows whose status says they left. */
  left: string;
}

/** Stamps a batch at `now`; computed once per batch, not per row (imports are a hot path). */
export function stampBatch(opts: UpsertOptions, now: number): BatchStamp {
  const consent = packConsent({ ...opts.consent, at: now });
  const left = packDeparture({ via: 'import', at: now, by: opts.consent.by, sendId: '0' });
  return { opts, now, consent, left };
}

/**
 * Decides what one row does to the store, from what the store holds now (`onAllLists`: the
 * subscriber is already on every list the row names). Pure: the change it returns is applied only
 * if the subscriber's status is still the one seen here.
 */
export function planRow(
  row: SubscriberInput,
  existing: Subscriber | null,
  suppressed: boolean,
  stamp: BatchStamp,
  onAllLists = false,
): Plan {
  const { opts, now, consent, left } = stamp;
  const lists = rowLists(row, opts.list);
  const leaving = row.status !== undefined && LEFT_STATUSES.includes(row.status);
  if (!existing) {
    if (leaving) {
      const status = row.status ?? 'unsubscribed';
      const record = { ...profile(row, opts), status, lists, left };
      return { kind: 'create', record, unsuppress: false };
    }
    if (suppressed && !opts.resubscribe) return { kind: 'skip', outcome: 'suppressed' };
    const status: SubscriberStatus = row.status === 'pending' ? 'pending' : 'active';
    const record = {
      ...profile(row, opts),
      status,
      lists,
      ...(status === 'active' ? { consent } : {}),
    };
    return { kind: 'create', record, unsuppress: suppressed };
  }
  const set: Record<string, string> = {};
  if (row.name && row.name !== existing.name) set.n = row.name;
  if (row.locale && row.locale !== existing.locale) set.l = row.locale;
  const id = existing.id;
  if (leaving) {
    if (LEFT_STATUSES.includes(existing.status)) return { kind: 'skip', outcome: 'unchanged' };
    const to = statusCode(row.status ?? 'unsubscribed');
    const suppress: [string, string] = [
      emailKey(existing.email),
      suppressionValue(row.status ?? 'unsubscribed', now),
    ];
    return {
      kind: 'apply',
      change: { id, change: { from: 'pa', to, set: { ...set, x: left }, suppress } },
    };
  }
  const hasLeft = suppressed || LEFT_STATUSES.includes(existing.status);
  if (hasLeft && !opts.resubscribe) return { kind: 'skip', outcome: 'suppressed' };
  if (hasLeft) {
    const unsuppress = emailKey(existing.email);
    const change = { from: 'paubc', to: 'a', set: { ...set, k: consent }, del: ['x'], unsuppress };
    return { kind: 'apply', change: { id, change, lists } };
  }
  if (existing.status === 'pending' && row.status !== 'pending') {
    return {
      kind: 'apply',
      change: { id, change: { from: 'p', to: 'a', set: { ...set, k: consent } }, lists },
    };
  }
  if (Object.keys(set).length === 0 && onAllLists) return { kind: 'skip', outcome: 'unchanged' };
  return { kind: 'apply', change: { id, change: { from: statusCode(existing.status), to: '', set }, lists } };
}

function profile(row: SubscriberInput, opts: UpsertOptions) {
  return { email: row.email, name: row.name ?? '', locale: row.locale ?? opts.locale };
}

/**
 * Adds or updates subscribers from validated rows (at most one row per address), in a few
 * round trips whatever the number of rows. Returns each row's outcome, in order. A row whose
 * subscriber changed between the read and the write (a concurrent unsubscribe or sign-up) is
 * decided again from the new state.
 */
export async function upsertSubscribers(
  store: SubscriberStore,
  rows: readonly SubscriberInput[],
  opts: UpsertOptions,
  attempts = 3,
): Promise<UpsertOutcome[]> {
  const emails = rows.map((r) => r.email);
  const [ids, suppressed] = await Promise.all([store.findIds(emails), store.areSuppressed(emails)]);
  const found = rows.flatMap((row, i) =>
    ids[i] ? [{ id: ids[i] as number, lists: rowLists(row, opts.list) }] : [],
  );
  const [existing, onLists] = await Promise.all([
    store.getMany(found.map((f) => f.id)),
    store.onAllLists(found),
  ]);
  const byId = new Map(
    existing.flatMap((s, i) => (s ? [[s.id, { s, onLists: onLists[i] ?? false }] as const] : [])),
  );
  const stamp = stampBatch(opts, store.clock());
  const plans = rows.map((row, i) => {
    const known = byId.get(ids[i] ?? 0);
    return planRow(row, known?.s ?? null, suppressed[i] ?? false, stamp, known?.onLists);
  });

  const outcomes: (UpsertOutcome | null)[] = plans.map((p) => (p.kind === 'skip' ? p.outcome : null));
  const creates = plans.flatMap((p, i) => (p.kind === 'create' ? [{ p, i }] : []));
  const applies = plans.flatMap((p, i) => (p.kind === 'apply' ? [{ p, i }] : []));
  const leaving = creates.filter(({ p }) => LEFT_STATUSES.includes(p.record.status));
  // A person who left is suppressed before their record exists: a crash in between errs on the side of silence.
  await Promise.all(leaving.map(({ p }) => store.suppress(p.record.email, p.record.status)));
  const [created, applied] = await Promise.all([
    store.createMany(creates.map(({ p }) => p.record)),
    store.applyMany(applies.map(({ p }) => p.change)),
  ]);
  const unsuppress = creates
    .filter(({ p }, j) => p.unsuppress && created[j]?.created)
    .map(({ p }) => p.record.email);
  await store.unsuppress(unsuppress);
  creates.forEach(({ i }, j) => {
    if (created[j]?.created) outcomes[i] = 'added';
  });
  applies.forEach(({ i }, j) => {
    const r = applied[j];
    if (r?.applied) outcomes[i] = r.changed ? 'updated' : 'unchanged';
  });

  const retry = rows.filter((_, i) => outcomes[i] === null);
  if (retry.length > 0) {
    const again = attempts > 1 ? await upsertSubscribers(store, retry, opts, attempts - 1) : [];
    let k = 0;
    for (let i = 0; i < outcomes.length; i++)
      if (outcomes[i] === null) outcomes[i] = again[k++] ?? 'unchanged';
  }
  return outcomes as UpsertOutcome[];
}
