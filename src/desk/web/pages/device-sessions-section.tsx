import type { DeviceSession } from '../../api/schemas.ts';
import { useDeviceSessions, useEndOtherSessions, useEndSession } from '../api/device-sessions.ts';
import { isApiError } from '../api/http.ts';
import { ErrorLine } from '../error-line.tsx';
import { formatTime } from '../format.ts';
import { useI18n } from '../i18n/i18n.tsx';

const HELD = 'second-factor-required';

/**
 * The account page's 「ログイン中の端末」 (issue 22): every session of the signed-in user with its
 * device, IP address and times, this one marked, and an "end" button for each of the others.
 */
export function DeviceSessionsSection() {
  const { t, locale } = useI18n();
  const sessions = useDeviceSessions();
  const end = useEndSession();
  const endOthers = useEndOtherSessions();
  // Held back by the second-factor policy: the two-factor part says so; this list waits for it.
  const held = isApiError(sessions.error) && (sessions.error.body as { code?: string } | null)?.code === HELD;
  if (held) return null;
  const list = sessions.data?.sessions ?? [];
  const device = (s: DeviceSession) => s.device || t('sessionDeviceUnknown');
  return (
    <section aria-labelledby="sessions-title">
      <h2 id="sessions-title">{t('sessionsTitle')}</h2>
      <p className="hint">{t('sessionsIntro')}</p>
      <ErrorLine error={sessions.error} />
      <ul className="session-list">
        {list.map((s) => (
          <li key={s.id} className={s.current ? 'current' : undefined}>
            <span className="session-device">
              {device(s)}
              {s.current && <span className="badge">{t('sessionThisDevice')}</span>}
            </span>
            <span className="hint">
              {t('sessionDetails', {
                ip: s.ip,
                signedIn: formatTime(s.createdAt, locale),
                lastSeen: formatTime(s.lastSeenAt, locale),
              })}
            </span>
            {!s.current && (
              <button
                type="button"
                onClick={() => end.mutate(s.id)}
                disabled={end.isPending}
                aria-label={t('sessionEndOf', { device: device(s) })}
              >
                {t('sessionEnd')}
              </button>
            )}
          </li>
        ))}
      </ul>
      <ErrorLine error={end.error ?? endOthers.error} />
      {list.length > 1 ? (
        <button type="button" onClick={() => endOthers.mutate()} disabled={endOthers.isPending}>
          {t('sessionEndOthers')}
        </button>
      ) : (
        sessions.data && <p className="hint">{t('sessionsOnlyThis')}</p>
      )}
    </section>
  );
}
