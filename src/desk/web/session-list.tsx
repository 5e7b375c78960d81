import type { DeviceSession } from '../api/schemas.ts';
import { formatTime } from './format.ts';
import { useI18n } from './i18n/i18n.tsx';

/**
 * Sessions as a list: each device (or 「不明な端末」), its IP address and times, the caller's own
 * marked, and an "end" button for every other one (the account page's and a member's on the members page).
 */
export function SessionList({
  sessions,
  onEnd,
  ending,
}: {
  sessions: DeviceSession[];
  onEnd: (id: string) => void;
  ending: boolean;
}) {
  const { t, locale } = useI18n();
  const device = (s: DeviceSession) => s.device || t('sessionDeviceUnknown');
  return (
    <ul className="session-list">
      {sessions.map((s) => (
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
              onClick={() => onEnd(s.id)}
              disabled={ending}
              aria-label={t('sessionEndOf', { device: device(s) })}
            >
              {t('sessionEnd')}
            </button>
          )}
        </li>
      ))}
    </ul>
  );
}
