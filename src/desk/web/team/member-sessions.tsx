import { useState } from 'react';
import { useEndMemberSession, useMemberSessions } from '../api/device-sessions.ts';
import { ErrorLine } from '../error-line.tsx';
import { useI18n } from '../i18n/i18n.tsx';
import { SessionList } from '../session-list.tsx';

/** A member's signed-in devices behind a disclosure on the members page; asked for when opened. */
export function MemberSessions({ email, name }: { email: string; name: string }) {
  const { t } = useI18n();
  const [open, setOpen] = useState(false);
  const sessions = useMemberSessions(email, open);
  const end = useEndMemberSession(email);
  const list = sessions.data?.sessions ?? [];
  return (
    <details className="member-sessions" onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary aria-label={t('memberSessionsOf', { name })}>{t('sessionsTitle')}</summary>
      <ErrorLine error={sessions.error ?? end.error} />
      {sessions.data && list.length === 0 && <p className="hint">{t('memberNoSessions')}</p>}
      <SessionList sessions={list} onEnd={(id) => end.mutate(id)} ending={end.isPending} />
    </details>
  );
}
