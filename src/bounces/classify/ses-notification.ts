import { z } from 'zod';
import { normalizeAddress } from './address.ts';
import { decideReason } from './decide-reason.ts';
import { type BounceResult, kindOf } from './result.ts';
import { findReplyCode, findStatus, normalizeDiagnostic } from './smtp-text.ts';

/**
 * The fields of an Amazon SES notification (JSON) that a bounce mailed by SNS or SES carries in its text. Only
 * Bounce and Complaint are failures; Delivery, Send, Open, DeliveryDelay and the rest are news of none.
 */
const SesJson = z.object({
  notificationType: z.string(),
  bounce: z
    .object({
      bounceType: z.string(),
      bouncedRecipients: z.array(
        z.object({
          emailAddress: z.string(),
          status: z.string().optional(),
          diagnosticCode: z.string().optional(),
        }),
      ),
    })
    .optional(),
  complaint: z.object({ complainedRecipients: z.array(z.object({ emailAddress: z.string() })) }).optional(),
});

/**
 * The results of an SES notification delivered as mail (an SNS e-mail subscription): one per bounced
 * or complaining recipient, decided by the same rules as any bounce (a Transient bounce is never hard);
 * [] for any other notification (a Delivery names its recipients too, but nothing failed).
 * Null when the text is no SES notification.
 */
export function sesNotificationResults(text: string): BounceResult[] | null {
  const parsed = sesJson(text);
  if (!parsed) return null;
  if (parsed.notificationType !== 'Bounce' && parsed.notificationType !== 'Complaint') return [];
  if (parsed.notificationType === 'Complaint') {
    return (parsed.complaint?.complainedRecipients ?? []).map((r) => ({
      recipient: normalizeAddress(r.emailAddress),
      action: 'abuse',
      status: '',
      diagnostic: 'complaint reported through Amazon SES',
      reason: 'complaint',
      kind: 'complaint',
    }));
  }
  const transient = parsed.bounce?.bounceType !== 'Permanent';
  return (parsed.bounce?.bouncedRecipients ?? []).map((r) => {
    const diagnostic = normalizeDiagnostic(r.diagnosticCode ?? '');
    const status = findStatus(r.status ?? '') || findStatus(diagnostic);
    const { reason } = decideReason({
      status: transient && status.startsWith('5.') ? `4${status.slice(1)}` : status,
      code: findReplyCode(diagnostic),
      text: diagnostic,
      final: true,
    });
    return {
      recipient: normalizeAddress(r.emailAddress),
      action: 'failed',
      status,
      diagnostic,
      reason,
      kind: kindOf(reason),
    };
  });
}

/** The start of SES's own JSON ("eventType" in event publishing), and of the SNS envelope that quotes it. */
const SES_START = /\{\s*"(?:notificationType|eventType)"\s*:/;
const SNS_START = /\{\s*"Type"\s*:\s*"Notification"/;

/** The SES notification in the text: bare, or as the `Message` string of an SNS notification; null if none. */
function sesJson(text: string): z.infer<typeof SesJson> | null {
  try {
    const ses = SES_START.exec(text);
    // Mail wraps long lines; a line break is never part of the JSON itself. SNS's e-mail delivery folds a long
    // line with a "!" at its end and a space at the start of the next: both are the fold's, not the JSON's.
    const read = (at: number) => JSON.parse(jsonObjectAt(text, at).replace(/!\n |\n/g, ''));
    let json = ses ? read(ses.index) : null;
    if (!json) {
      const sns = SNS_START.exec(text);
      json = sns ? JSON.parse(String(read(sns.index).Message)) : null;
    }
    if (json && !json.notificationType) json.notificationType = json.eventType;
    const parsed = SesJson.safeParse(json);
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** The JSON object that starts at `start` (braces balanced, strings respected); the rest of the text if unclosed. */
function jsonObjectAt(text: string, start: number): string {
  let depth = 0;
  let inString = false;
  for (let i = start; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '{') depth++;
    else if (c === '}' && --depth === 0) return text.slice(start, i + 1);
  }
  return text.slice(start);
}
