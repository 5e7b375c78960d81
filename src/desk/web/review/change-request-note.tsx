import { useTimeline } from '../api/conversation.ts';
import type { IssueState } from '../api/issues.ts';
import { formatTime } from '../format.ts';
import { useI18n } from '../i18n/i18n.tsx';

/**
 * At the top of the editor: the change request that sent this draft back, until it goes to review
 * again (the last review step in the history is that request).
 */
export function ChangeRequestNote({ number, state }: { number: number; state: IssueState }) {
  const { t, locale } = useI18n();
  const timeline = useTimeline(number);
  if (state !== 'draft') return null;
  const steps = (timeline.data ?? []).filter((e) => e.kind === 'review' || e.kind === 'changes');
  const last = steps[steps.length - 1];
  if (last?.kind !== 'changes') return null;
  return (
    <section className="change-request" role="note" aria-labelledby="change-request-title">
      <h2 id="change-request-title">{t('changesRequestedBy', { name: last.name })}</h2>
      <p className="comment-text">{last.text}</p>
      <time dateTime={last.at} className="hint">
        {formatTime(last.at, locale)}
      </time>
    </section>
  );
}
