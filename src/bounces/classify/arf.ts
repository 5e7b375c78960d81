import { addressesIn } from './address.ts';
import { type FieldGroup, field, parseFieldGroups, parseHeaderBlock } from './field-groups.ts';

/** What an RFC 5965 feedback report says about the reported message. */
export interface FeedbackReport {
  /** Feedback-Type, lower case (abuse, fraud, virus, other, not-spam, auth-failure, ...). */
  feedbackType: string;
  /** The reader(s) who complained; [] when the report redacted them and the returned headers name nobody. */
  recipients: string[];
  /** Who generated the report (User-Agent, else Reporting-MTA); '' when not said. */
  reporter: string;
}

/**
 * Feedback types that are a reader's complaint, or a reader's wish to hear no more (`opt-out`, the
 * draft-era name some providers still send); `not-spam` and `auth-failure` (RFC 6591) are not.
 */
const COMPLAINT_TYPES: ReadonlySet<string> = new Set([
  'abuse',
  'fraud',
  'virus',
  'other',
  'opt-out',
  'optout',
]);

/** True when a report of this feedback type is a complaint about the message by its recipient. */
export function isComplaintType(feedbackType: string): boolean {
  return COMPLAINT_TYPES.has(feedbackType);
}

/** Headers of the returned message that name its reader, in the order they are trusted. */
const READER_HEADERS = ['to', 'delivered-to', 'x-original-to'] as const;

/**
 * Parses a message/feedback-report part (RFC 5965 §3). The recipients are every address in Original-Rcpt-To
 * (a display name or a list in one field included), else in the older Removal-Recipient, else the To header of
 * the returned message (`returnedHeaders`), which is what providers that redact the report fields still leave,
 * or its Delivered-To / X-Original-To when the To names nobody ("undisclosed-recipients:;").
 * A missing Feedback-Type reads as `abuse`.
 */
export function parseFeedbackReport(text: string, returnedHeaders = ''): FeedbackReport {
  // The report is one group in the RFC, but some generators put blank lines in it: read them all as one.
  const fields: FieldGroup = new Map();
  for (const group of parseFieldGroups(text)) {
    for (const [name, values] of group) fields.set(name, [...(fields.get(name) ?? []), ...values]);
  }
  const feedbackType = (field(fields, 'feedback-type')
    .toLowerCase()
    .match(/[a-z-]+/)?.[0] ?? 'abuse') as string;
  let recipients = [
    ...(fields.get('original-rcpt-to') ?? []),
    ...(fields.get('removal-recipient') ?? []),
  ].flatMap(addressesIn);
  if (recipients.length === 0 && returnedHeaders) {
    const headers = parseHeaderBlock(returnedHeaders);
    for (const name of READER_HEADERS) {
      recipients = (headers.get(name) ?? []).flatMap(addressesIn);
      if (recipients.length > 0) break;
    }
  }
  return {
    feedbackType,
    recipients: [...new Set(recipients)],
    reporter: field(fields, 'user-agent') || field(fields, 'reporting-mta').replace(/^dns\s*;\s*/i, ''),
  };
}
