import { useSession } from '../api/session.ts';
import { useTeam } from '../api/team.ts';
import { ErrorLine } from '../error-line.tsx';
import { useI18n } from '../i18n/i18n.tsx';
import { TableBox } from '../table-box.tsx';
import { InviteForm } from '../team/invite-form.tsx';
import { MemberRow } from '../team/member-row.tsx';

/** Admin: the desk's members (issue 22): roles, disabling, removal, who has a second factor, last sign-in. */
export function TeamPage() {
  const { t } = useI18n();
  const team = useTeam();
  const me = useSession().data;
  return (
    <section aria-labelledby="team-title">
      <h1 id="team-title">{t('teamTitle')}</h1>
      <p className="hint">{t('teamIntro')}</p>
      <InviteForm />
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
