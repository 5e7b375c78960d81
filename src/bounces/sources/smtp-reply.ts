import type { ReplyClassification } from '../classify/decide-reason.ts';
import type { BounceInput } from '../policy.ts';

/**
 * The bounce event of a relay's final refusal while sending (see src/send/wire/smtp-failure.ts): about the
 * recipient the deliver worker was sending to, so it is verified; one per recipient and send.
 */
export function smtpBounceInput(
  sendId: string,
  recipient: { id: number; email: string },
  failure: { code: number | null; response: string; bounce: ReplyClassification },
): BounceInput {
  return {
    email: recipient.email,
    subscriberId: recipient.id,
    sendId,
    kind: failure.bounce.kind,
    reason: failure.bounce.reason,
    status: failure.bounce.status,
    diagnostic: failure.response,
    source: 'smtp',
    code: failure.code === null ? '' : String(failure.code),
    verified: true,
    identity: `smtp:${sendId}:${recipient.id}`,
  };
}
