import { useDeviceSessions, useEndOtherSessions, useEndSession } from '../api/device-sessions.ts';
import { heldBySecondFactor } from '../api/second-factor.ts';
import { ErrorLine } from '../error-line.tsx';
import { useI18n } from '../i18n/i18n.tsx';
import { SessionList } from '../session-list.tsx';

/**
 * The account page's 「サインイン中の端末」 (issue 22): every session of the signed-in user with its
 * device, IP address and times, this one marked, and an "end" button for each of the others.
 */
export function DeviceSessionsSection() {
  const { t } = useI18n();
  const sessions = useDeviceSessions();
  const end = useEndSession();
  const endOthers = useEndOtherSessions();
  // Held back by the second-factor policy: the two-factor part says so; this list waits for it.
  if (heldBySecondFactor(sessions.error)) return null;
  const list = sessions.data?.sessions ?? [];
  return (
    <section aria-labelledby="sessions-title">
      <h2 id="sessions-title">{t('sessionsTitle')}</h2>
      <p className="hint">{t('sessionsIntro')}</p>
      <ErrorLine error={sessions.error} />
      <SessionList sessions={list} onEnd={(id) => end.mutate(id)} ending={end.isPending} />
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
