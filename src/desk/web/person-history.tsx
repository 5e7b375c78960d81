import type { SubscriberHistory } from '../api/schemas.ts';
import { formatTime } from './format.ts';
import { useI18n } from './i18n/i18n.tsx';

/** A subscriber's history in plain words: lists, consent, suppression, soft bounces, then every event. */
export function PersonHistory({ history }: { history: SubscriberHistory }) {
  const { t, locale } = useI18n();
  const at = (e: Record<string, unknown>) =>
    typeof e.at === 'string' || typeof e.at === 'number' ? e.at : '';
  return (
    <>
      <dl className="history">
        <dt>{t('lists')}</dt>
        <dd>{history.lists.join(', ') || '—'}</dd>
        <dt>{t('consent')}</dt>
        <dd>{history.consentWording ?? '—'}</dd>
        <dt>{t('suppression')}</dt>
        <dd>
          {history.suppression
            ? `${history.suppression.reason} · ${formatTime(history.suppression.at, locale)}`
            : '—'}
        </dd>
        <dt>{t('softBounces')}</dt>
        <dd>
          {t('softBouncesLine', {
            n: history.softBounces.count,
            limit: history.softBounces.limit,
            days: history.softBounces.days,
          })}
        </dd>
      </dl>
      <ol className="events">
        {history.events.map((e, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: events have no id and never reorder
          <li key={i}>
            {at(e) !== '' && <time>{formatTime(at(e), locale)}</time>}{' '}
            {Object.entries(e)
              .filter(([k]) => k !== 'at')
              .map(([k, v]) => `${k}: ${String(v)}`)
              .join(' · ')}
          </li>
        ))}
      </ol>
    </>
  );
}
