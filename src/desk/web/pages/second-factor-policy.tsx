import { useState } from 'react';
import type { Role } from '../../api/schemas.ts';
import { useSaveSecondFactorPolicy, useSecondFactorPolicy } from '../api/second-factor.ts';
import { ErrorLine } from '../error-line.tsx';
import { useI18n } from '../i18n/i18n.tsx';
import { ROLE_WORDS, ROLES } from '../team/role-words.ts';

/** The admin's setting: which roles must sign in with a second factor, stored as soon as it is ticked. */
export function SecondFactorPolicy() {
  const { t } = useI18n();
  const policy = useSecondFactorPolicy();
  const save = useSaveSecondFactorPolicy();
  // As the notices: a box shows its change at once, and a refusal undoes it.
  const [ticked, setTicked] = useState<Role[] | null>(null);
  const shown = ticked ?? policy.data?.roles;
  const change = (role: Role, on: boolean) => {
    const next = ROLES.filter((r) => (r === role ? on : shown?.includes(r)));
    setTicked(next);
    save.mutate({ roles: next }, { onError: () => setTicked(null) });
  };
  return (
    <>
      <ErrorLine error={policy.error} />
      {shown && (
        <fieldset>
          <legend>{t('twoFactorPolicyLegend')}</legend>
          {ROLES.map((role) => (
            <label key={role} className="check-row">
              <input
                type="checkbox"
                checked={shown.includes(role)}
                onChange={(e) => change(role, e.target.checked)}
              />{' '}
              {t(ROLE_WORDS[role])}
            </label>
          ))}
          <p className="hint">{t('twoFactorPolicyHint')}</p>
        </fieldset>
      )}
      <ErrorLine error={save.error} />
    </>
  );
}
