import type { DeskNotifier } from '../accounts/desk-notices.ts';
import type { Config } from '../config.ts';
import type { IssueEvents } from '../issue/issue-events.ts';
import type { IssueStore } from '../issue/issue-store.ts';
import type { SendStore } from '../send/record/send-store.ts';

/** What the finished-send notice reads: the send and its figures, who saved and reviewed the issue. */
export interface SendFinishedNoticeDeps {
  config: Pick<Config, 'DEFAULT_LOCALE'>;
  sends: Pick<SendStore, 'get' | 'counts'>;
  issues: Pick<IssueStore, 'revisions'>;
  issueEvents: Pick<IssueEvents, 'list'>;
  notifier: Pick<DeskNotifier, 'notify'>;
}

/**
 * The workers' `onFinished`: mails the send's figures to everyone who saved, reviewed, approved or
 * scheduled its issue (issue 18); a test send tells nobody.
 */
export function sendFinishedNotice(deps: SendFinishedNoticeDeps) {
  return async (sendId: string): Promise<void> => {
    const record = await deps.sends.get(sendId);
    if (!record || record.testTo) return;
    const locale = deps.config.DEFAULT_LOCALE;
    const [counts, revisions, events] = await Promise.all([
      deps.sends.counts(sendId),
      deps.issues.revisions(record.issue, locale),
      deps.issueEvents.list(record.issue, locale),
    ]);
    const emails = [...new Set([...revisions, ...events].map((e) => e.by))];
    // Figures grouped as the words' language writes them (19,342).
    const count = new Intl.NumberFormat(locale).format;
    await deps.notifier.notify('sendFinished', { emails }, record.issue, {
      title: record.subject,
      sent: count(counts.delivered),
      failed: count(counts.failed),
      skipped: count(counts.skipped),
    });
  };
}
