import { createHash } from 'node:crypto';
import { z } from 'zod';
import { EmailAddress } from '../../subscribers/subscriber-schema.ts';
import { classifySmtpReply } from '../classify/decide-reason.ts';
import { BounceKind, BounceReason, kindOf } from '../classify/result.ts';
import type { BounceInput } from '../policy.ts';

/**
 * One event of the generic bounce webhook. Give `reason`, or the remote server's words (`status`,
 * `diagnostic`), or at least `kind`; Gazette decides hard or soft from the reason, so a policy
 * refusal a provider calls "hard" still stays soft.
 */
export const WebhookEvent = z
  .object({
    email: EmailAddress,
    kind: BounceKind.optional(),
    reason: BounceReason.optional(),
    status: z
      .string()
      .regex(/^[245]\.\d{1,3}\.\d{1,3}$/, 'must be an enhanced status code such as 5.1.1')
      .optional(),
    diagnostic: z.string().max(2000).optional(),
    /** The Gazette send the bounced message belonged to, if the caller knows it. */
    sendId: z
      .string()
      .regex(/^[a-z0-9-]{1,40}$/, 'must be a Gazette send id')
      .optional(),
    /** The caller's id of this event; a repeat with the same id is recorded once. */
    id: z.string().min(1).max(200).optional(),
  })
  .refine((e) => e.kind || e.reason || e.status || e.diagnostic, {
    message: 'give at least one of kind, reason, status or diagnostic',
  })
  .refine((e) => !e.kind || !e.reason || kindOf(e.reason) === e.kind, {
    message: 'kind does not fit reason (hard is only user_unknown, host_unknown, has_moved or not_accept)',
    path: ['kind'],
  });
export type WebhookEvent = z.infer<typeof WebhookEvent>;

/** The webhook's body: `{ "events": [...] }` with 1 to 1,000 events, or one event on its own. */
export const WebhookBody = z.preprocess(
  (body) => (body && typeof body === 'object' && 'events' in body ? body : { events: [body] }),
  z.object({ events: z.array(WebhookEvent).min(1).max(1000) }),
);

/** The reason of a webhook event: the given one, else the words' (a specific one), else what `kind` implies. */
export function webhookReason(e: WebhookEvent): BounceReason {
  if (e.reason) return e.reason;
  if (e.kind === 'complaint') return 'complaint';
  const text = `${e.status ?? ''} ${e.diagnostic ?? ''}`.trim();
  const byText = text ? classifySmtpReply({ code: 0, response: text, final: true }).reason : 'other';
  if (e.kind === 'soft' && kindOf(byText) === 'hard') return 'other';
  if (byText !== 'other') return byText;
  return e.kind === 'hard' ? 'user_unknown' : 'other';
}

/**
 * The policy input of one webhook event received at `now`. Without the caller's `id`, the same event
 * (same address, reason, words and send) on the same UTC day is taken for a repeat.
 */
export function webhookBounceInput(e: WebhookEvent, now: number): BounceInput {
  const reason = webhookReason(e);
  const day = new Date(now).toISOString().slice(0, 10);
  const identity =
    e.id ??
    createHash('sha256')
      .update(JSON.stringify([e.email.toLowerCase(), reason, e.status, e.diagnostic, e.sendId, day]))
      .digest('hex');
  return {
    email: e.email,
    sendId: e.sendId ?? null,
    kind: kindOf(reason),
    reason,
    status: e.status ?? '',
    diagnostic: e.diagnostic ?? '',
    source: 'webhook',
    verified: true,
    identity: `webhook:${identity}`,
  };
}
