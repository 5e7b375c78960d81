import { z } from 'zod';
import { BounceKind, BounceReason } from './classify/result.ts';

/** Where a bounce event came from: a relay's reply while sending, a bounce mail, or a webhook. */
export const BounceSource = z.enum(['smtp', 'mail', 'ses', 'webhook']);
export type BounceSource = z.infer<typeof BounceSource>;

/** One stored bounce or complaint event: what happened to which address, in which send, and why. */
export const BounceEvent = z.object({
  /** Redis stream id (`<ms>-<n>`), unique per event. */
  id: z.string(),
  /** When it was recorded (ms since epoch). */
  at: z.coerce.number(),
  email: z.string(),
  /** The subscriber's id, or null for an address that is no subscriber. */
  subscriber: z.preprocess((v) => (v === '' ? null : v), z.coerce.number().int().nullable()),
  /** The send the bounce belongs to, or null when it could not be told (no valid VERP token). */
  send: z.preprocess((v) => (v === '' ? null : v), z.string().nullable()),
  kind: BounceKind,
  reason: BounceReason,
  status: z.string(),
  /** The remote server's words (the DSN diagnostic, the SMTP reply, the provider's text). */
  diagnostic: z.string(),
  source: BounceSource,
  /** The SMTP reply code when the relay refused the message while sending. */
  code: z.string().default(''),
  /** True when a signed VERP token, an SMTP session or a signed webhook vouched for the send and subscriber. */
  verified: z.preprocess((v) => v === '1', z.boolean()),
  /** Key of the whole received message while it is kept (BOUNCE_RAW_DAYS), or ''. */
  raw: z.string().default(''),
  /** What the policy did: `suppressed`, `counted`, `unverified` (acted on nobody) or `applied` (by an admin, later). */
  action: z.string().default(''),
  /** The address's soft bounces in the window when this one was counted (soft bounces only), else 0. */
  soft: z.coerce.number().int().default(0),
});
export type BounceEvent = z.infer<typeof BounceEvent>;

/** An event to record, before it has an id. */
export type NewBounceEvent = Omit<BounceEvent, 'id' | 'action' | 'soft'>;

/** The stream fields of an event (flat strings, as XADD takes them). */
export function eventFields(e: NewBounceEvent): string[] {
  return [
    ['at', String(e.at)],
    ['email', e.email],
    ['subscriber', e.subscriber === null ? '' : String(e.subscriber)],
    ['send', e.send ?? ''],
    ['kind', e.kind],
    ['reason', e.reason],
    ['status', e.status],
    ['diagnostic', e.diagnostic],
    ['source', e.source],
    ['code', e.code],
    ['verified', e.verified ? '1' : '0'],
    ['raw', e.raw],
  ].flat();
}

/** Reads a stream entry back into an event; null for an entry that is not one (never thrown). */
export function decodeEvent(id: string, fields: readonly string[]): BounceEvent | null {
  const record: Record<string, string> = { id };
  for (let i = 0; i + 1 < fields.length; i += 2) record[fields[i] as string] = fields[i + 1] as string;
  const parsed = BounceEvent.safeParse(record);
  return parsed.success ? parsed.data : null;
}
