import { type FormEvent, useEffect, useRef, useState } from 'react';
import type { SignInRefusal } from '../../api/schemas.ts';
import { isApiError } from '../api/http.ts';
import { useSignIn } from '../api/session.ts';
import { ErrorLine } from '../error-line.tsx';
import { useI18n } from '../i18n/i18n.tsx';
import { LocaleSwitch } from '../locale-switch.tsx';

/**
 * Email, Password and "Sign in"; a wrong pair, a throttled one and a failed request each get a
 * sentence. When the answer says `secondFactor`, one more field asks for the authenticator's code
 * (or a recovery code), and the same form is sent again with it.
 */
export function SignInPage() {
  const { t } = useI18n();
  const signIn = useSignIn();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  const first = useRef<HTMLInputElement>(null);
  const codeField = useRef<HTMLInputElement>(null);
  useEffect(() => first.current?.focus(), []);
  const err = signIn.error;
  const askedCode = isApiError(err) && err.status === 401 && (err.body as SignInRefusal | null)?.secondFactor;
  const disabled = isApiError(err) && (err.body as SignInRefusal | null)?.code === 'account-disabled';
  // Once asked, the code field stays (a wrong code is asked again), and takes the focus.
  const [wantsCode, setWantsCode] = useState(false);
  useEffect(() => {
    if (askedCode) {
      setWantsCode(true);
      codeField.current?.focus();
    }
  }, [askedCode]);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const typed = code.replace(/\s/g, '');
    signIn.mutate({ email: email.trim(), password, ...(wantsCode && typed ? { code: typed } : {}) });
  };
  const message = !err
    ? null
    : askedCode
      ? code
        ? t('signInCodeWrong')
        : null
      : isApiError(err) && err.status === 401
        ? // A disabled account is told so, only after its right password (issue 22).
          t(disabled ? 'msg.account-disabled' : 'signInWrong')
        : isApiError(err) && err.status === 429
          ? t('signInThrottled')
          : isApiError(err) && err.status === 421
            ? null
            : t('requestFailed');

  return (
    <main id="main" className="sign-in">
      <h1>{t('signInTitle')}</h1>
      <form onSubmit={submit} noValidate>
        <label>
          <span>{t('email')}</span>
          <input
            ref={first}
            type="email"
            name="email"
            autoComplete="username"
            required
            value={email}
            onChange={(e) => setEmail(e.target.value)}
          />
        </label>
        <label>
          <span>{t('password')}</span>
          <input
            type="password"
            name="password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
        </label>
        {wantsCode && (
          <label>
            <span>{t('signInCode')}</span>
            <input
              ref={codeField}
              name="code"
              inputMode="numeric"
              autoComplete="one-time-code"
              required
              value={code}
              onChange={(e) => setCode(e.target.value)}
            />
            <span className="hint">{t('signInCodeHint')}</span>
          </label>
        )}
        {message ? (
          <p role="alert" className="error">
            {message}
          </p>
        ) : (
          // The 421 names the address to open instead (issue 18: it once said "server problem").
          <ErrorLine error={err} />
        )}
        <button type="submit" className="primary" disabled={signIn.isPending}>
          {signIn.isPending ? t('signingIn') : t('signIn')}
        </button>
      </form>
      <LocaleSwitch />
    </main>
  );
}
