import { type FormEvent, useEffect, useRef, useState } from 'react';
import type { Role } from '../../api/schemas.ts';
import { isApiError } from '../api/http.ts';
import { useInvite, useResendInvite } from '../api/team.ts';
import { ErrorLine } from '../error-line.tsx';
import { useI18n } from '../i18n/i18n.tsx';
import { ROLE_WORDS, ROLES } from './role-words.ts';

/**
 * An admin's form to invite a member to the desk: address, name, roles, with the focus on the address
 * as it opens. The member gets a mail with a link (7 days) to choose their password; once it is sent,
 * `onSent` gets the address (the page closes the form and says so). For an address already invited,
 * it offers to send the invitation again (a new link; the old one ends). "Cancel" calls `onCancel`.
 */
export function InviteForm({ onSent, onCancel }: { onSent(email: string): void; onCancel(): void }) {
  const { t } = useI18n();
  const first = useRef<HTMLInputElement>(null);
  useEffect(() => first.current?.focus(), []);
  const invite = useInvite();
  const resend = useResendInvite();
  const [email, setEmail] = useState('');
  const [name, setName] = useState('');
  const [roles, setRoles] = useState<Role[]>(['writer']);
  const toggle = (role: Role, on: boolean) =>
    setRoles(ROLES.filter((r) => (r === role ? on : roles.includes(r))));
  const taken =
    isApiError(invite.error) && (invite.error.body as { code?: string } | null)?.code === 'user-exists';
  const submit = (e: FormEvent) => {
    e.preventDefault();
    resend.reset();
    invite.mutate(
      { email: email.trim(), roles, ...(name.trim() ? { name: name.trim() } : {}) },
      { onSuccess: (r) => onSent(r.user.email) },
    );
  };
  return (
    <form
      id="invite-form"
      className="invite-form"
      onSubmit={submit}
      noValidate
      aria-labelledby="invite-title"
    >
      <h2 id="invite-title">{t('inviteTitle')}</h2>
      <p className="hint">{t('inviteHint')}</p>
      <label>
        <span>{t('email')}</span>
        <input
          ref={first}
          type="email"
          name="invite-email"
          autoComplete="off"
          required
          value={email}
          onChange={(e) => setEmail(e.target.value)}
        />
      </label>
      <label>
        <span>{t('inviteName')}</span>
        <input name="invite-name" autoComplete="off" value={name} onChange={(e) => setName(e.target.value)} />
      </label>
      <fieldset>
        <legend>{t('inviteRoles')}</legend>
        {ROLES.map((role) => (
          <label key={role} className="check-row">
            <input
              type="checkbox"
              checked={roles.includes(role)}
              onChange={(e) => toggle(role, e.target.checked)}
            />{' '}
            {t(ROLE_WORDS[role])}
          </label>
        ))}
      </fieldset>
      <ErrorLine error={invite.error} />
      {taken && (
        <button
          type="button"
          disabled={resend.isPending}
          onClick={() => resend.mutate(email.trim(), { onSuccess: (r) => onSent(r.user.email) })}
        >
          {t('inviteResend')}
        </button>
      )}
      <ErrorLine error={resend.error} />
      <div className="actions">
        <button
          type="submit"
          className="primary"
          disabled={invite.isPending || !email.trim() || roles.length === 0}
        >
          {invite.isPending ? t('inviteSending') : t('inviteSend')}
        </button>
        <button type="button" onClick={onCancel}>
          {t('cancel')}
        </button>
      </div>
    </form>
  );
}
