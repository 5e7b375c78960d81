import { z } from 'zod';

/** Why a message did not arrive (or, for `complaint`, why the reader objected). */
export const BounceReason = z.enum([
  'user_unknown',
  'host_unknown',
  'has_moved',
  'not_accept',
  'mailbox_full',
  'message_too_big',
  'suspended',
  'expired',
  'blocked',
  'policy',
  'spam_detected',
  'auth_failure',
  'rejected',
  'network_error',
  'system_error',
  'complaint',
  'other',
]);
export type BounceReason = z.infer<typeof BounceReason>;

/** `hard`: the address is dead; `soft`: this message failed; `complaint`: the reader reported it as abuse. */
export const BounceKind = z.enum(['hard', 'soft', 'complaint']);
export type BounceKind = z.infer<typeof BounceKind>;

/**
 * One failed recipient of one bounce (or one complaint).
 * `action` is the RFC 3464 action (`failed`) or, for an RFC 5965 report, its feedback type (`abuse`, ...);
 * `status` is the enhanced status code (RFC 3463), `x.0.0` when only the SMTP reply code was given, or '' when neither;
 * `recipient` is '' only for a complaint whose report redacted the address.
 */
export const BounceResult = z.object({
  recipient: z.string(),
  action: z.string().min(1),
  status: z.string().regex(/^(?:[245]\.\d{1,3}\.\d{1,3})?$/),
  diagnostic: z.string(),
  reason: BounceReason,
  kind: BounceKind,
});
export type BounceResult = z.infer<typeof BounceResult>;

/**
 * The most results one message yields (issue 17): our mail has one recipient per message, so a relay's
 * bounce names one; more only cost time, and past 50 none is recorded anyway.
 */
export const MAX_RESULTS = 100;

/** The reasons that mean the address itself is dead; only these may suppress at the first bounce. */
const HARD_REASONS: ReadonlySet<BounceReason> = new Set([
  'user_unknown',
  'host_unknown',
  'has_moved',
  'not_accept',
]);

/** The kind that follows from a reason: hard only for a dead address, whatever the SMTP code said. */
export function kindOf(reason: BounceReason): BounceKind {
  if (reason === 'complaint') return 'complaint';
  return HARD_REASONS.has(reason) ? 'hard' : 'soft';
}
