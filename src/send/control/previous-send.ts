import { GazetteError } from '../../errors.ts';
import type { SendRecord, SendStore } from '../record/send-store.ts';
import { formatInstant } from './send-time.ts';

/** The issue already went (or is going) to the list; `previous` names that send, for the desk's 409. */
export class AlreadySentError extends GazetteError {
  override name = 'AlreadySentError';
  readonly previous: SendRecord;
  constructor(message: string, previous: SendRecord) {
    super(message, { code: 'E_ALREADY_SENT' });
    this.previous = previous;
  }
}

/** The latest send of `issue` to `list` that was not cancelled (nor a test); null when there is none. */
export async function previousSend(
  deps: { sends: Pick<SendStore, 'ofIssue'> },
  issue: number,
  list: string,
): Promise<SendRecord | null> {
  const sends = await deps.sends.ofIssue(issue);
  return sends.find((s) => s.list === list && !s.testTo && s.state !== 'cancelled') ?? null;
}

/**
 * Throws AlreadySentError when `issue` was sent, or is scheduled, to `list`: a sentence naming the
 * earlier send and how to send again on purpose (`--resend`; the desk API's `resend: true`).
 */
export async function assertNotSentBefore(
  deps: { sends: Pick<SendStore, 'ofIssue'>; config: { TZ_DEFAULT: string } },
  issue: number,
  list: string,
): Promise<void> {
  const previous = await previousSend(deps, issue, list);
  if (!previous) return;
  const zone = deps.config.TZ_DEFAULT;
  const what = previous.startedAt
    ? `already went to list ${list} in send ${previous.id} (${previous.state}, started ${formatInstant(previous.startedAt, zone)})`
    : `is already scheduled for list ${list} in send ${previous.id} (due ${formatInstant(previous.at, zone)})`;
  throw new AlreadySentError(`Issue ${issue} ${what}; add --resend to send it again.`, previous);
}
