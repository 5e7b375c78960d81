import { useState } from 'react';
import type { Role, TeamMember } from '../../api/schemas.ts';
import { useChangeMember, useRemoveMember, useResetSecondFactor } from '../api/team.ts';
import { ErrorLine } from '../error-line.tsx';
import { formatTime } from '../format.ts';
import { useI18n } from '../i18n/i18n.tsx';
import { MemberSessions } from './member-sessions.tsx';
import { ROLE_WORDS, ROLES } from './role-words.ts';

/** How the second-factor column names what a member has. */
const SECOND_FACTOR_WORDS = {
  totp: 'secondFactorTotp',
  passkey: 'secondFactorPasskey',
  both: 'secondFactorBoth',
  none: 'secondFactorNone',
} as const;

/**
 * One member in the members table (a card on a phone): their roles as boxes stored as soon as they
 * are ticked, whether they have a second factor, their last sign-in, and disabling or removing them
 * (removal asks first), resetting the second factor they lost (asks first), and their signed-in devices. A refusal (the last admin) undoes the box and says why in the row.
 */
export function MemberRow({ member, self }: { member: TeamMember; self: boolean }) {
  const { t, locale } = useI18n();
  const change = useChangeMember();
  const remove = useRemoveMember();
  const reset = useResetSecondFactor();
  const [ticked, setTicked] = useState<Role[] | null>(null);
  const roles = ticked ?? member.roles;
  const name = member.name || member.email;
  const setRole = (role: Role, on: boolean) => {
    const next = ROLES.filter((r) => (r === role ? on : roles.includes(r)));
    setTicked(next);
    change.mutate({ email: member.email, change: { roles: next } }, { onSettled: () => setTicked(null) });
  };
  const toggle = () => change.mutate({ email: member.email, change: { disabled: !member.disabled } });
  const resetSecondFactor = () => {
    if (window.confirm(t('memberResetSecondFactorQuestion', { email: member.email }))) reset.mutate(member);
  };
  const removeMember = () => {
    if (window.confirm(t('memberRemoveQuestion', { email: member.email }))) remove.mutate(member.email);
  };
  return (
    <tr className={member.disabled ? 'member-disabled' : undefined}>
      <th scope="row">
        <span className="member-name">
          {name}
          {self && <span className="badge">{t('memberYou')}</span>}
        </span>
        {member.name && <span className="hint member-email">{member.email}</span>}
      </th>
      <td>
        <fieldset className="member-roles">
          <legend className="sr-only">{t('memberRolesOf', { name })}</legend>
          {ROLES.map((role) => (
            <label key={role} className="check">
              <input
                type="checkbox"
                checked={roles.includes(role)}
                // A member keeps at least one role.
                disabled={change.isPending || (roles.length === 1 && roles[0] === role)}
                onChange={(e) => setRole(role, e.target.checked)}
              />
              {t(ROLE_WORDS[role])}
            </label>
          ))}
        </fieldset>
      </td>
      <td data-label={t('colSecondFactor')}>
        {t(SECOND_FACTOR_WORDS[member.secondFactor.length > 1 ? 'both' : (member.secondFactor[0] ?? 'none')])}
      </td>
      <td data-label={t('colLastSignIn')}>
        {member.lastSignInAt ? formatTime(member.lastSignInAt, locale) : t('neverSignedIn')}
      </td>
      <td data-label={t('colState')}>{member.disabled ? t('memberDisabled') : t('memberActive')}</td>
      <td className="member-actions">
        <button
          type="button"
          onClick={toggle}
          disabled={change.isPending}
          aria-label={t(member.disabled ? 'memberEnableOf' : 'memberDisableOf', { name })}
        >
          {member.disabled ? t('memberEnable') : t('memberDisable')}
        </button>
        {member.secondFactor.length > 0 && (
          <button
            type="button"
            onClick={resetSecondFactor}
            disabled={reset.isPending}
            aria-label={t('memberResetSecondFactorOf', { name })}
          >
            {t('memberResetSecondFactor')}
          </button>
        )}
        <button
          type="button"
          className="danger"
          onClick={removeMember}
          disabled={remove.isPending}
          aria-label={t('memberRemoveOf', { name })}
        >
          {t('memberRemove')}
        </button>
        {reset.isSuccess && <p role="status">{t('memberSecondFactorReset', { email: member.email })}</p>}
        <ErrorLine error={change.error ?? reset.error ?? remove.error} />
        <MemberSessions email={member.email} name={name} />
      </td>
    </tr>
  );
}
