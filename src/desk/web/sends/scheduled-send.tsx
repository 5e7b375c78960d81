import { type FormEvent, useEffect, useState } from 'react';
import { type SendStatus, useReschedule } from '../api/sends.ts';
import { can, useSession } from '../api/session.ts';
import { ErrorLine } from '../error-line.tsx';
import { DESK_ZONE, formatTime } from '../format.ts';
import { useI18n } from '../i18n/i18n.tsx';
import { isoToSeoul, seoulToIso } from '../seoul-time.ts';

/** `2:03:04` (or `3:04`) until an instant; `0:00` once it has passed. */
function timeLeft(iso: string, now: number): string {
  const s = Math.max(0, Math.round((Date.parse(iso) - now) / 1000));
  const [h, m, sec] = [Math.floor(s / 3600), Math.floor(s / 60) % 60, s % 60];
  const two = (n: number) => String(n).padStart(2, '0');
  return h > 0 ? `${h}:${two(m)}:${two(sec)}` : `${m}:${two(sec)}`;
}

/** A scheduled send: when it goes (Asia/Seoul) and a countdown; senders can move it until it starts. */
export function ScheduledSend({ status }: { status: SendStatus }) {
  const { t, locale } = useI18n();
  const user = useSession().data;
  const move = useReschedule(status.id);
  const [now, setNow] = useState(Date.now);
  const [at, setAt] = useState(() => isoToSeoul(status.at));
  useEffect(() => {
    const tick = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(tick);
  }, []);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    move.mutate(seoulToIso(at));
  };
  return (
    <div className="scheduled">
      <p>
        {t('scheduledFor', { at: formatTime(status.at, locale), zone: DESK_ZONE })}{' '}
        <strong role="timer" aria-live="off">
          {t('countdown', { left: timeLeft(status.at, now) })}
        </strong>
      </p>
      {can(user, 'sender') && (
        <form onSubmit={submit} className="actions">
          <label>
            <span>{t('moveTo', { zone: DESK_ZONE })}</span>
            <input type="datetime-local" value={at} onChange={(e) => setAt(e.target.value)} required />
          </label>
          <button type="submit" disabled={move.isPending}>
            {t('moveSend')}
          </button>
        </form>
      )}
      {move.isSuccess && <p role="status">{t('moved', { at: formatTime(move.data.at, locale) })}</p>}
      <ErrorLine error={move.error} />
    </div>
  );
}
