import { useRef, useState } from 'react';
import { useSession } from '../api/session.ts';
import { useTeam } from '../api/team.ts';
import { ErrorLine } from '../error-line.tsx';
import { useI18n } from '../i18n/i18n.tsx';
import { TableBox } from '../table-box.tsx';
import { InviteForm } from '../team/invite-form.tsx';
import { MemberRow } from '../team/member-row.tsx';

/**
 * Admin: the desk's members (issue 22): roles, disabling, removal, who has a second factor, last
 * sign-in. The invitation form stays folded behind 「招待する」 so that the members come first; it
 * closes once an invitation is sent, and the page says to whom.
 */
export function TeamPage() {
  const { t } = useI18n();
  const team = useTeam();
  const me = useSession().data;
  const [inviting, setInviting] = useState(false);
  const [sentTo, setSentTo] = useState<string | null>(null);
  const opener = useRef<HTMLButtonElement>(null);
  const close = (sent: string | null) => {
    setInviting(false);
    setSentTo(sent);
    opener.current?.focus();
  };
  return (
    <section aria-labelledby="team-title">
      <div className="page-head">
        <h1 id="team-title">{t('teamTitle')}</h1>
        <button
          ref={opener}
          type="button"
          className="primary"
          aria-expanded={inviting}
          aria-controls={inviting ? 'invite-form' : undefined}
          onClick={() => {
            setSentTo(null);
            setInviting(!inviting);
          }}
        >
          {t('inviteOpen')}
        </button>
      </div>
      <p className="hint">{t('teamIntro')}</p>
      {sentTo && <p role="status">{t('inviteSent', { email: sentTo })}</p>}
      {inviting && <InviteForm onSent={close} onCancel={() => close(null)} />}
      <ErrorLine error={team.error} />
      {team.data && (
        <TableBox labelledBy="team-title">
          <table className="list member-list">
            <thead>
              <tr>
                <th scope="col">{t('colMember')}</th>
                <th scope="col">{t('colRoles')}</th>
                <th scope="col">{t('colSecondFactor')}</th>
                <th scope="col">{t('colLastSignIn')}</th>
                <th scope="col">{t('colState')}</th>
                <th scope="col">{t('colActions')}</th>
              </tr>
            </thead>
            <tbody>
              {team.data.users.map((m) => (
                <MemberRow key={m.email} member={m} self={m.email === me?.email} />
              ))}
            </tbody>
          </table>
        </TableBox>
      )}
    </section>
  );
}
