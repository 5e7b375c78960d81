import { type FormEvent, useEffect, useRef, useState } from 'react';
import { useAskPasswordReset } from '../api/account-links.ts';
import { CredentialInput } from '../credential-input.tsx';
import { ErrorLine } from '../error-line.tsx';
import { useI18n } from '../i18n/i18n.tsx';
import { LocaleSwitch } from '../locale-switch.tsx';
import { Link } from '../router.tsx';

/**
 * "Forgot your password?": an address, and then the same confirmation whatever it was (the desk does
 * not tell who has an account); the link comes by mail.
 */
export function ForgotPasswordPage() {
  const { t } = useI18n();
  const ask = useAskPasswordReset();
  const [email, setEmail] = useState('');
  const first = useRef<HTMLInputElement>(null);
  useEffect(() => first.current?.focus(), []);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    ask.mutate(email.trim());
  };
  return (
    <main id="main" className="sign-in">
      <h1>{t('forgotTitle')}</h1>
      {ask.isSuccess ? (
        <p role="status">{t('forgotSent', { email: ask.variables })}</p>
      ) : (
        <form onSubmit={submit} noValidate>
          <p>{t('forgotIntro')}</p>
          <CredentialInput
            label={t('email')}
            ref={first}
            type="email"
            name="email"
            autoComplete="username"
            required
            value={email}
            onValue={setEmail}
          />
          <ErrorLine error={ask.error} />
          <button type="submit" className="primary" disabled={ask.isPending || !email.trim()}>
            {ask.isPending ? t('forgotSending') : t('forgotSend')}
          </button>
        </form>
      )}
      <p>
        <Link to="/">{t('backToSignIn')}</Link>
      </p>
      <LocaleSwitch />
    </main>
  );
}
