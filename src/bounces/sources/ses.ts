import { z } from 'zod';
import { classifySmtpReply } from '../classify/decide-reason.ts';
import { type BounceReason, kindOf } from '../classify/result.ts';
import type { BounceInput } from '../policy.ts';
import { mailboxOf, readVerpToken } from './verp.ts';

const Recipient = z.object({
  emailAddress: z.string().min(3).max(320),
  action: z.string().optional(),
  status: z.string().optional(),
  diagnosticCode: z.string().max(4000).optional(),
});

/**
 * An Amazon SES notification (the Message of an SNS notification): `notificationType` for feedback
 * notifications, `eventType` for event publishing. Only the fields Gazette reads are checked.
 */
export const SesNotification = z.object({
  notificationType: z.string().optional(),
  eventType: z.string().optional(),
  mail: z.object({ messageId: z.string(), source: z.string().optional() }),
  bounce: z
    .object({
      bounceType: z.enum(['Permanent', 'Transient', 'Undetermined']),
      bounceSubType: z.string(),
      bouncedRecipients: z.array(Recipient).min(1).max(100),
      feedbackId: z.string().min(1),
    })
    .optional(),
  complaint: z
    .object({
      complainedRecipients: z
        .array(Recipient.pick({ emailAddress: true }))
        .min(1)
        .max(100),
      feedbackId: z.string().min(1),
      complaintFeedbackType: z.string().optional(),
    })
    .optional(),
});
export type SesNotification = z.infer<typeof SesNotification>;

/** SES bounce subtypes that say exactly why (docs: "Bounce types"). */
const SUBTYPE_REASONS: Record<string, BounceReason> = {
  NoEmail: 'user_unknown',
  Suppressed: 'user_unknown',
  OnAccountSuppressionList: 'user_unknown',
  MailboxFull: 'mailbox_full',
  MessageTooLarge: 'message_too_big',
  ContentRejected: 'policy',
  AttachmentRejected: 'policy',
};

/**
 * The reason of one SES bounced recipient. The remote server's words decide, as for any bounce,
 * so a spam or policy refusal stays soft even when SES calls it Permanent; a Permanent bounce whose
 * words say nothing specific reads as `user_unknown` (hard); a Transient or Undetermined one is
 * never hard.
 */
export function sesBounceReason(
  bounceType: 'Permanent' | 'Transient' | 'Undetermined',
  subType: string,
  r: { status?: string | undefined; diagnosticCode?: string | undefined },
): BounceReason {
  const bySubtype = SUBTYPE_REASONS[subType];
  const text = `${r.status ?? ''} ${r.diagnosticCode ?? ''}`.trim();
  const byText = text ? classifySmtpReply({ code: 0, response: text, final: true }).reason : 'other';
  if (bounceType === 'Permanent') {
    if (byText !== 'other') return byText;
    return bySubtype ?? 'user_unknown';
  }
  const reason = bySubtype ?? byText;
  return kindOf(reason) === 'hard' ? 'other' : reason;
}

/**
 * The bounce events of one SES notification: one per bounced or complaining recipient, about that
 * address (SES states it with authority). The send comes from the VERP token of the original
 * envelope sender when it verifies. Delivery and other notifications give none.
 */
export function sesBounceInputs(
  n: SesNotification,
  config: { GAZETTE_SECRET: string; BOUNCE_DOMAIN: string },
): BounceInput[] {
  const box = n.mail.source ? mailboxOf(n.mail.source, config) : null;
  const verp = box?.kind === 'bounce' ? readVerpToken(config.GAZETTE_SECRET, box.token) : null;
  const sendId = verp?.ok ? verp.sendId : null;
  const type = n.notificationType ?? n.eventType;
  // SES is an authenticated channel (the SNS signature was verified before this is called).
  const common = { sendId, source: 'ses' as const, verified: true };
  if (type === 'Bounce' && n.bounce) {
    const b = n.bounce;
    return b.bouncedRecipients.map((r) => {
      const reason = sesBounceReason(b.bounceType, b.bounceSubType, r);
      return {
        ...common,
        email: r.emailAddress,
        kind: kindOf(reason),
        reason,
        status: /^[245]\.\d{1,3}\.\d{1,3}$/.test(r.status ?? '') ? (r.status as string) : '',
        diagnostic: r.diagnosticCode ?? `SES ${b.bounceType} bounce (${b.bounceSubType})`,
        identity: `ses:${b.feedbackId}:${r.emailAddress.toLowerCase()}`,
      };
    });
  }
  if (type === 'Complaint' && n.complaint) {
    const c = n.complaint;
    return c.complainedRecipients.map((r) => ({
      ...common,
      email: r.emailAddress,
      kind: 'complaint' as const,
      reason: 'complaint' as const,
      status: '',
      diagnostic: `${c.complaintFeedbackType ?? 'abuse'} complaint reported through Amazon SES`,
      identity: `ses:${c.feedbackId}:${r.emailAddress.toLowerCase()}`,
    }));
  }
  return [];
}
