import { addressesIn } from './address.ts';
import { type FieldGroup, field, type GroupRules, parseFieldGroups } from './field-groups.ts';
import { findReplyCode, findStatus, normalizeDiagnostic } from './smtp-text.ts';

/** The per-recipient part of a delivery status notification, cleaned up. */
export interface DsnRecipient {
  /** Original-Recipient when given (the address we sent to), else Final-Recipient. */
  recipient: string;
  /** The RFC 3464 action, lower case: failed, delayed, delivered, relayed, expanded ('' if absent). */
  action: string;
  /** The enhanced status code, made as specific as the diagnostic allows; '' when there is none at all. */
  status: string;
  /** The Diagnostic-Code without its type, as one line; '' when absent. */
  diagnostic: string;
  /** The words after the Status code, e.g. "(mailbox disabled, not accepting messages)", unbracketed; often ''. */
  comment: string;
}

/** A delivery status notification: its per-message fields that identify the message, and its recipients. */
export interface DeliveryStatus {
  /** Original-Envelope-Id: the ENVID the sender gave at MAIL FROM (RFC 3461), '' when absent. */
  envelopeId: string;
  /** Reporting-MTA without its type ("dns;"), '' when absent. */
  reportingMta: string;
  recipients: DsnRecipient[];
}

/** The fields RFC 3464 §2.2 and §2.3 define: a hand-made report may indent them all (and its blank lines). */
const DSN_FIELDS: ReadonlySet<string> = new Set([
  'original-envelope-id',
  'reporting-mta',
  'dsn-gateway',
  'received-from-mta',
  'arrival-date',
  'original-recipient',
  'final-recipient',
  'action',
  'status',
  'remote-mta',
  'diagnostic-code',
  'last-attempt-date',
  'final-log-id',
  'will-retry-until',
]);

/**
 * A DSN's field groups, read as hand-made reports write them too: indented fields, and recipients separated by
 * a line of dashes or by nothing. A recipient field opens a new recipient when its group already holds that
 * field, or holds the other recipient field for another address with its Action or Status: an
 * Original-Recipient and the Final-Recipient it became stay one recipient, in either order.
 */
const DSN_RULES: GroupRules = {
  indentedFields: DSN_FIELDS,
  opensGroup: (name, value, group) => {
    if (name !== 'original-recipient' && name !== 'final-recipient') return false;
    if (group.has(name)) return true;
    const other = field(group, name === 'final-recipient' ? 'original-recipient' : 'final-recipient');
    const reported = group.has('action') || group.has('status');
    return other !== '' && reported && addressIn(other).toLowerCase() !== addressIn(value).toLowerCase();
  },
};

/**
 * Parses the body of a message/delivery-status (or message/global-delivery-status) part, RFC 3464 §2:
 * one per-message field group, then one group per recipient. A group is a recipient's when it names one,
 * so a DSN that omits the per-message group (or the blank line after it) still parses.
 * `recipients` is [] for text that names no recipient.
 */
export function parseDeliveryStatus(text: string): DeliveryStatus {
  const result: DeliveryStatus = { envelopeId: '', reportingMta: '', recipients: [] };
  for (const group of parseFieldGroups(text, DSN_RULES)) {
    result.envelopeId ||= field(group, 'original-envelope-id');
    result.reportingMta ||= field(group, 'reporting-mta').replace(/^[\w-]+\s*;\s*/, '');
    const recipient =
      addressIn(field(group, 'original-recipient')) ||
      addressIn(field(group, 'final-recipient')) ||
      addressIn(field(group, 'x-actual-recipient'));
    if (recipient) result.recipients.push({ recipient, ...statusOf(group) });
  }
  return result;
}

function statusOf(group: FieldGroup): Omit<DsnRecipient, 'recipient'> {
  const diagnostic = normalizeDiagnostic(field(group, 'diagnostic-code'));
  let status = findStatus(field(group, 'status'));
  const comment = normalizeDiagnostic(
    field(group, 'status')
      .replace(/^\s*[245]\.\d{1,3}\.\d{1,3}/, '')
      .replace(/^\s*\(|\)\s*$/g, ''),
  );
  // Many MTAs write a bare class ("5.0.0") in Status and the real code in the diagnostic (RFC 3463 §3.1).
  const fromDiagnostic = findStatus(diagnostic);
  if (
    (!status || status.endsWith('.0.0')) &&
    fromDiagnostic &&
    fromDiagnostic[0] === (status[0] ?? fromDiagnostic[0])
  ) {
    status = fromDiagnostic;
  }
  if (!status) {
    // Some hand-made reports write the SMTP reply in Status ("Status: 553 Exceeded maximum inbound message size").
    const code = findReplyCode(diagnostic) || findReplyCode(field(group, 'status'));
    if (code) status = `${String(code)[0]}.0.0`;
  }
  let action = (field(group, 'action')
    .toLowerCase()
    .match(/[a-z]+/)?.[0] ?? '') as string;
  // Hand-made reports write "failure", "fail" or "undeliverable" for RFC 3464's `failed`.
  if (/^(?:fail|undeliver)/.test(action)) action = 'failed';
  // A DSN without Action but with a permanent status can only be reporting a failure.
  if (!action && status.startsWith('5.')) action = 'failed';
  return { action, status, diagnostic, comment };
}

/**
 * The address of a recipient field: as RFC 3464 writes it ("rfc822; a@b"), else the first address in it (a
 * hand-made report's "Final-Recipient: Kijitora <a@b>"); '' when it holds none.
 */
function addressIn(value: string): string {
  return addressesIn(value)[0] ?? '';
}
