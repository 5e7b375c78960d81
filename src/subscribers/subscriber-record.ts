import type { Locale } from '../issue/schema.ts';
import type { Consent, ConsentSource, Departure, Subscriber, SubscriberStatus } from './subscriber-schema.ts';

/**
 * How a subscriber is laid out in its Redis hash. Field names are one letter and small values are
 * packed with a unit separator so that the hash stays a small listpack (about 200 bytes a subscriber;
 * see scripts/bench-subscribers.ts). List membership is not here: the list bitmaps are the truth.
 *
 *   e email · n name (absent when empty) · l locale · s status code
 *   t created · u updated (Unix seconds; u absent until the first change)
 *   k consent  `source␟at␟by␟wordingId␟formUrl` (absent until consent is given)
 *   x departure `via␟at␟by␟sendId␟reason`   (absent unless the person left; reason often absent)
 *   q pending confirmation `nonce␟lists␟at␟by␟wordingId␟source␟formUrl` (absent unless one is outstanding)
 * Times inside packed fields are Unix seconds in base 36. A typical record (30-character address,
 * short name) fits Redis's 128-byte allocation class; scripts/bench-subscribers.ts reports the bytes.
 */
export const FIELDS = ['e', 'n', 'l', 's', 't', 'u', 'k', 'x'] as const;

const SEP = '\x1f';
const STATUS_CODE: Record<SubscriberStatus, string> = {
  pending: 'p',
  active: 'a',
  unsubscribed: 'u',
  bounced: 'b',
  complained: 'c',
};
const STATUS_BY_CODE = Object.fromEntries(Object.entries(STATUS_CODE).map(([k, v]) => [v, k])) as Record<
  string,
  SubscriberStatus
>;
const SOURCE_CODE: Record<ConsentSource, string> = { import: 'i', form: 'f', api: 'a' };
const SOURCE_BY_CODE = Object.fromEntries(Object.entries(SOURCE_CODE).map(([k, v]) => [v, k])) as Record<
  string,
  ConsentSource
>;

/** The one-letter code a status is stored as. */
export function statusCode(status: SubscriberStatus): string {
  return STATUS_CODE[status];
}

/** The status a one-letter code stands for. */
export function statusFromCode(code: string): SubscriberStatus {
  return STATUS_BY_CODE[code] ?? 'pending';
}

/** Unix seconds from epoch milliseconds. */
export function toSeconds(ms: number): number {
  return Math.floor(ms / 1000);
}

function iso(seconds: string | undefined | null): string {
  return new Date(Number(seconds ?? 0) * 1000).toISOString();
}

/** A time inside a packed field: Unix seconds in base 36 (6 characters until 2038, 7 after). */
function packTime(ms: number): string {
  return toSeconds(ms).toString(36);
}

function unpackTime(value: string | undefined): string {
  return new Date(parseInt(value ?? '0', 36) * 1000).toISOString();
}

/** Removes the separator from free text (IPs, importer names, via) so that packed fields stay parseable. */
function clean(value: string): string {
  return value.replaceAll(SEP, ' ');
}

/** The value kept for a suppressed address: `reason␟unix seconds`. */
export function suppressionValue(reason: string, at: number): string {
  return [clean(reason), packTime(at)].join(SEP);
}

/** Reads a suppression value. */
export function unpackSuppression(value: string): { reason: string; at: string } {
  const [reason = '', at] = value.split(SEP);
  return { reason, at: unpackTime(at) };
}

/** Packs a consent record into the `k` field. */
export function packConsent(c: {
  source: ConsentSource;
  at: number;
  by: string;
  wordingId: string;
  formUrl?: string;
}): string {
  const fields = [SOURCE_CODE[c.source], packTime(c.at), clean(c.by), c.wordingId];
  return (c.formUrl ? [...fields, clean(c.formUrl)] : fields).join(SEP);
}

/** Packs a departure record into the `x` field. */
export function packDeparture(d: {
  via: string;
  at: number;
  by: string;
  sendId: string;
  reason?: string | undefined;
}): string {
  const packed = [clean(d.via), packTime(d.at), clean(d.by), clean(d.sendId)];
  // Records written before reasons existed have four fields; one without a reason keeps four.
  if (d.reason) packed.push(clean(d.reason));
  return packed.join(SEP);
}

function unpackConsent(value: string | null | undefined): Consent | null {
  if (!value) return null;
  const [source = '', at, by = '', wordingId = '', formUrl = ''] = value.split(SEP);
  return { source: SOURCE_BY_CODE[source] ?? 'import', at: unpackTime(at), by, wordingId, formUrl };
}

function unpackDeparture(value: string | null | undefined): Departure | null {
  if (!value) return null;
  const [via = '', at, by = '', sendId = '0', reason = ''] = value.split(SEP);
  return { via, at: unpackTime(at), by, sendId, reason };
}

/** An outstanding double opt-in confirmation, kept in the `q` field until it is used or replaced. */
export interface PendingConfirmation {
  nonce: string;
  lists: string[];
  at: number;
  by: string;
  wordingId: string;
  source: ConsentSource;
  /** The URL of the form the request came from. */
  formUrl: string;
}

/** Packs a pending confirmation into the `q` field. */
export function packPending(p: PendingConfirmation): string {
  const source = SOURCE_CODE[p.source];
  return [
    p.nonce,
    p.lists.join(','),
    packTime(p.at),
    clean(p.by),
    p.wordingId,
    source,
    clean(p.formUrl),
  ].join(SEP);
}

/** Reads the `q` field; null when absent. */
export function unpackPending(value: string | null | undefined): PendingConfirmation | null {
  if (!value) return null;
  const [nonce = '', lists = '', at = '0', by = '', wordingId = '', source = 'f', formUrl = ''] =
    value.split(SEP);
  return {
    nonce,
    lists: lists === '' ? [] : lists.split(','),
    at: parseInt(at, 36) * 1000,
    by,
    wordingId,
    source: SOURCE_BY_CODE[source] ?? 'form',
    formUrl,
  };
}

/** The hash fields of a new subscriber. */
export function newRecord(s: {
  email: string;
  name: string;
  locale: Locale;
  status: SubscriberStatus;
  now: number;
  consent?: string;
  left?: string;
  pending?: string;
}): Record<string, string> {
  const now = String(toSeconds(s.now));
  const fields: Record<string, string> = {
    e: s.email,
    l: s.locale,
    s: STATUS_CODE[s.status],
    t: now,
  };
  if (s.name !== '') fields.n = s.name;
  if (s.consent) fields.k = s.consent;
  if (s.left) fields.x = s.left;
  if (s.pending) fields.q = s.pending;
  return fields;
}

/** Decodes the values of `FIELDS` (as HMGET returns them) into a subscriber; null when the hash is missing. */
export function decodeRecord(id: number, values: readonly (string | null)[]): Subscriber | null {
  const [e, n, l, s, t, u, k, x] = values;
  if (!e || !s) return null;
  return {
    id,
    email: e,
    name: n ?? '',
    locale: (l ?? 'ja') as Locale,
    status: statusFromCode(s),
    createdAt: iso(t),
    updatedAt: iso(u ?? t),
    consent: unpackConsent(k),
    left: unpackDeparture(x),
  };
}
