import { useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useEffect, useRef, useState } from 'react';
import { useAccountLink, useSetPasswordByLink } from '../api/account-links.ts';
import { isApiError } from '../api/http.ts';
import { forgetSignedInUser } from '../api/session.ts';
import { CredentialInput } from '../credential-input.tsx';
import { ErrorLine } from '../error-line.tsx';
import { useI18n } from '../i18n/i18n.tsx';
import { LocaleSwitch } from '../locale-switch.tsx';
import { Link, navigate } from '../router.tsx';
import { PASSWORD_SET } from './sign-in-page.tsx';

/**
 * The page a mailed link opens (`/desk/reset/<token>`): a new password, typed twice. An invitation's
 * link greets the new member first. A used or expired link says so and leads to asking again; after
 * success every session of the account has ended, and the sign-in page says the password is set.
 */
export function ResetPasswordPage({ token }: { token: string }) {
  const { t } = useI18n();
  const link = useAccountLink(token);
  const save = useSetPasswordByLink(token);
  const client = useQueryClient();
  const [password, setPassword] = useState('');
  const [again, setAgain] = useState('');
  const [differ, setDiffer] = useState(false);
  const first = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (link.data) first.current?.focus();
  }, [link.data]);
  const gone =
    (isApiError(link.error) && link.error.status === 410) ||
    (isApiError(save.error) && save.error.status === 410);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (password !== again) {
      setDiffer(true);
      return;
    }
    setDiffer(false);
    save.mutate(password, {
      onSuccess: () => {
        // This browser's session (if any) ended with the others.
        forgetSignedInUser(client);
        navigate(`/?notice=${PASSWORD_SET}`, { replace: true });
      },
    });
  };

  if (gone) {
    return (
      <main id="main" className="sign-in">
        <h1>{t('linkGoneTitle')}</h1>
        <p role="alert">{t('linkGoneText')}</p>
        <p>
          <Link to="/forgot-password">{t('askNewLink')}</Link>
        </p>
        <LocaleSwitch />
      </main>
    );
  }
  if (!link.data) {
    return (
      <main id="main" className="sign-in">
        {link.error ? <ErrorLine error={link.error} /> : <p className="loading">{t('loading')}</p>}
      </main>
    );
  }
  const { purpose, email, name, minPassword } = link.data;
  const invited = purpose === 'invite';
  return (
    <main id="main" className="sign-in">
      <h1>{invited ? t('inviteWelcomeTitle') : t('resetTitle')}</h1>
      <p>{invited ? t('inviteWelcomeText', { name: name || email }) : t('resetIntro', { email })}</p>
      <form onSubmit={submit} noValidate>
        {/* The address as a username field, so a password manager files the new password under it. */}
        <input type="email" name="username" autoComplete="username" value={email} readOnly hidden />
        <CredentialInput
          label={t('newPassword')}
          ref={first}
          type="password"
          name="password"
          autoComplete="new-password"
          required
          minLength={minPassword}
          aria-describedby="password-hint"
          value={password}
          onValue={setPassword}
        />
        <p id="password-hint" className="hint">
          {t('passwordHint', { min: minPassword })}
        </p>
        <CredentialInput
          label={t('newPasswordAgain')}
          type="password"
          name="password-again"
          autoComplete="new-password"
          required
          value={again}
          onValue={setAgain}
        />
        {differ ? (
          <p role="alert" className="error">
            {t('passwordsDiffer')}
          </p>
        ) : (
          <ErrorLine error={save.error} />
        )}
        <button type="submit" className="primary" disabled={save.isPending || !password}>
          {save.isPending ? t('passwordSaving') : invited ? t('inviteAccept') : t('passwordSave')}
        </button>
      </form>
      <LocaleSwitch />
    </main>
  );
}
