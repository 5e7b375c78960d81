import { useRef } from 'react';
import { type SendStatus, useSendControl } from '../api/sends.ts';
import { can, useSession } from '../api/session.ts';
import { ErrorLine } from '../error-line.tsx';
import { formatCount } from '../format.ts';
import { useI18n } from '../i18n/i18n.tsx';
import { ScheduledSend } from './scheduled-send.tsx';

/** Messages per second from the last polls, and the seconds left at that pace. */
function usePace(status: SendStatus): { rate: number; eta: number | null } {
  const samples = useRef<[number, number][]>([]);
  const done = status.delivered + status.failed + status.skipped;
  const list = samples.current;
  if (list.at(-1)?.[1] !== done) list.push([Date.now(), done]);
  if (list.length > 10) list.shift();
  const first = list[0];
  const last = list.at(-1);
  const rate =
    status.rate ??
    (first && last && last[0] > first[0] ? ((last[1] - first[1]) * 1000) / (last[0] - first[0]) : 0);
  const left = Math.max(0, status.total - done);
  return { rate, eta: rate > 0 ? Math.round(left / rate) : null };
}

/** A live send: progress bar, rate, time left, and pause, resume and cancel for senders. */
export function SendProgress({ status }: { status: SendStatus }) {
  const { t, locale } = useI18n();
  const user = useSession().data;
  const control = useSendControl(status.id);
  const { rate, eta } = usePace(status);
  const done = status.delivered + status.failed + status.skipped;
  const live = status.state === 'sending' || status.state === 'paused' || status.state === 'scheduled';
  return (
    <section className="card" aria-labelledby="progress-title">
      <h2 id="progress-title">{t(`send_${status.state}`)}</h2>
      {status.state === 'scheduled' && <ScheduledSend status={status} />}
      <progress max={Math.max(1, status.total)} value={done} aria-label={t('progress')} />
      <p aria-live="polite">
        {t('progressLine', { done: formatCount(done, locale), total: formatCount(status.total, locale) })}
        {status.state === 'sending' && ` · ${t('rateLine', { rate: rate.toFixed(1) })}`}
        {status.state === 'sending' && eta !== null && ` · ${t('etaLine', { s: eta })}`}
      </p>
      <dl className="figures">
        {(['delivered', 'failed', 'skipped', 'bounced', 'unsubscribed'] as const).map((k) => (
          <div key={k}>
            <dt>{t(k)}</dt>
            <dd>{formatCount(status[k], locale)}</dd>
          </div>
        ))}
      </dl>
      {live && can(user, 'sender') && (
        <div className="actions">
          {status.state === 'paused' ? (
            <button type="button" onClick={() => control.mutate('resume')}>
              {t('resume')}
            </button>
          ) : (
            <button type="button" onClick={() => control.mutate('pause')}>
              {t('pause')}
            </button>
          )}
          <button
            type="button"
            className="danger"
            onClick={() => window.confirm(t('cancelQuestion')) && control.mutate('cancel')}
          >
            {t('cancelSend')}
          </button>
        </div>
      )}
      <ErrorLine error={control.error} />
    </section>
  );
}
