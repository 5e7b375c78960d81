import { type FormEvent, useEffect, useRef, useState } from 'react';
import type { SignInRefusal } from '../../api/schemas.ts';
import { isApiError } from '../api/http.ts';
import { useSignIn, useSignInMethods } from '../api/session.ts';
import { ErrorLine } from '../error-line.tsx';
import { type MessageKey, useI18n } from '../i18n/i18n.tsx';
import { LocaleSwitch } from '../locale-switch.tsx';
import { currentPath } from '../router.tsx';

/** The words of each refusal the single sign-on's callback sends back as `?sso-error=` (sso-routes.ts). */
const SSO_ERRORS: Record<string, MessageKey> = {
  denied: 'ssoErrorDenied',
  unavailable: 'ssoErrorUnavailable',
  failed: 'ssoErrorFailed',
  expired: 'ssoErrorExpired',
  busy: 'ssoErrorBusy',
  'no-email': 'ssoErrorNoEmail',
  'unverified-email': 'ssoErrorUnverifiedEmail',
  'no-role': 'ssoErrorNoRole',
};

/** The refusal a single sign-on came back with, read from the address once. */
const ssoError = new URLSearchParams(location.search).get('sso-error');

/**
 * "Sign in with <provider>" when single sign-on is set up, then Email, Password and "Sign in" unless
 * OIDC_ONLY turned passwords off; a wrong pair, a throttled one and a failed request each get a
 * sentence, as does a single sign-on the server refused. When the answer says `secondFactor`, one
 * more field asks for the authenticator's code (or a recovery code), and the same form is sent again.
 */
export function SignInPage() {
  const { t } = useI18n();
  const methods = useSignInMethods();
  const signIn = useSignIn();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  const first = useRef<HTMLInputElement>(null);
  const codeField = useRef<HTMLInputElement>(null);
  const ready = !methods.isPending;
  useEffect(() => {
    if (ready) first.current?.focus();
  }, [ready]);
  const err = signIn.error;
  const askedCode = isApiError(err) && err.status === 401 && (err.body as SignInRefusal | null)?.secondFactor;
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
        ? t('signInWrong')
        : isApiError(err) && err.status === 429
          ? t('signInThrottled')
          : isApiError(err) && err.status === 421
            ? null
            : t('requestFailed');

  const sso = methods.data?.sso;
  const passwords = methods.data?.password ?? true;
  // Back to this page after signing in, unless it is the desk's home anyway.
  const next = currentPath() === '/' ? '' : `?next=${encodeURIComponent(`/desk${currentPath()}`)}`;

  return (
    <main id="main" className="sign-in">
      <h1>{t('signInTitle')}</h1>
      {ssoError && (
        <p role="alert" className="error">
          {t(SSO_ERRORS[ssoError] ?? 'ssoErrorFailed')}
        </p>
      )}
      {sso && (
        <a className="button primary sso" href={`${sso.path}${next}`}>
          {t('signInWith', { name: sso.name })}
        </a>
      )}
      {sso && passwords && <h2 className="sign-in-or">{t('signInOr')}</h2>}
      {passwords && ready && (
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
      )}
      <LocaleSwitch />
    </main>
  );
}
