import { type TimelineEntry, useTimeline } from '../api/conversation.ts';
import { ErrorLine } from '../error-line.tsx';
import { formatTime } from '../format.ts';
import { type MessageKey, useI18n } from '../i18n/i18n.tsx';

const WORDS: Record<TimelineEntry['kind'], MessageKey> = {
  save: 'eventSave',
  review: 'eventReview',
  changes: 'eventChanges',
  comment: 'eventComment',
  approve: 'eventApprove',
  schedule: 'eventSchedule',
  sent: 'eventSent',
};

/** Everything that happened to an issue, oldest first, each by the display name of who did it. */
export function TimelineList({ number }: { number: number }) {
  const { t, locale } = useI18n();
  const timeline = useTimeline(number);
  return (
    <section aria-labelledby="timeline-title">
      <h2 id="timeline-title">{t('timeline')}</h2>
      <ErrorLine error={timeline.error} />
      <ol className="timeline">
        {(timeline.data ?? []).map((e) => (
          <li key={`${e.at}:${e.kind}:${e.by}:${e.revision ?? e.sendId ?? ''}`}>
            <time dateTime={e.at}>{formatTime(e.at, locale)}</time> ·{' '}
            {t(WORDS[e.kind], { name: e.name || '—', n: e.revision ?? '' })}
            {e.text && <p className="comment-text">{e.text}</p>}
          </li>
        ))}
      </ol>
    </section>
  );
}
