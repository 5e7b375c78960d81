import { type FormEvent, useEffect, useRef, useState } from 'react';
import type { SignInRefusal } from '../../api/schemas.ts';
import { isApiError } from '../api/http.ts';
import { signWithPasskey, usePasskeySignIn } from '../api/passkey-sign-in.ts';
import { useSignIn, useSignInMethods } from '../api/session.ts';
import { CredentialInput } from '../credential-input.tsx';
import { ErrorLine } from '../error-line.tsx';
import { type MessageKey, useI18n } from '../i18n/i18n.tsx';
import { LocaleSwitch } from '../locale-switch.tsx';
import { PasskeyErrorLine } from '../passkey-error-line.tsx';
import { currentPath, Link } from '../router.tsx';

/** The `?notice=` the reset page leads here with: the password is set, sign in with it. */
export const PASSWORD_SET = 'password-set';

/** The notice the address asks for, read once: the address loses it, so a reload does not show it again. */
function takeNotice(): string | null {
  const params = new URLSearchParams(location.search);
  const notice = params.get('notice');
  if (notice === null) return null;
  params.delete('notice');
  const rest = params.toString();
  history.replaceState(history.state, '', `${location.pathname}${rest ? `?${rest}` : ''}`);
  return notice;
}

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
  'linked-elsewhere': 'ssoErrorLinkedElsewhere',
  disabled: 'msg.account-disabled',
};

/** The refusal a single sign-on came back with, read from the address once. */
const ssoError = new URLSearchParams(location.search).get('sso-error');

/**
 * "Sign in with <provider>" when single sign-on is set up, then Email, Password and "Sign in" unless
 * OIDC_ONLY turned passwords off, and a link for a forgotten password; a wrong pair, a throttled one
 * and a failed request each get a sentence, as does a single sign-on the server refused. When the
 * answer says `secondFactor`, one more field asks for the authenticator's code (or a recovery code)
 * and the same form is sent again with it; when the user has a passkey, a button confirms with it
 * instead. Below, "Sign in with a passkey" needs no password at all.
 */
export function SignInPage() {
  const { t } = useI18n();
  const methods = useSignInMethods();
  const signIn = useSignIn();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  const [notice] = useState(takeNotice);
  const first = useRef<HTMLInputElement>(null);
  const codeField = useRef<HTMLInputElement>(null);
  const ready = !methods.isPending;
  useEffect(() => {
    if (ready) first.current?.focus();
  }, [ready]);
  const passkeySignIn = usePasskeySignIn();
  const err = signIn.error;
  const refused = isApiError(err) && err.status === 401 ? (err.body as SignInRefusal | null) : null;
  const askedCode = refused?.secondFactor === true;
  const disabled = refused?.code === 'account-disabled';
  // Once asked, the second factor's step stays (a wrong code is asked again), with the methods the
  // user has: the code field takes the focus, and a passkey's challenge is the latest one handed out.
  const [factor, setFactor] = useState<SignInRefusal | null>(null);
  const wantsCode = factor !== null && (factor.methods?.includes('totp') ?? true);
  useEffect(() => {
    if (refused?.secondFactor) setFactor(refused);
  }, [refused]);
  useEffect(() => {
    if (wantsCode) codeField.current?.focus();
  }, [wantsCode]);
  const [passkeyFailure, setPasskeyFailure] = useState<unknown>(null);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const typed = code.replace(/\s/g, '');
    signIn.mutate({ email: email.trim(), password, ...(wantsCode && typed ? { code: typed } : {}) });
  };
  const confirmWithPasskey = async () => {
    if (!factor?.passkey) return;
    setPasskeyFailure(null);
    try {
      const passkey = await signWithPasskey(factor.passkey);
      signIn.mutate({ email: email.trim(), password, passkey });
    } catch (failure) {
      setPasskeyFailure(failure);
    }
  };
  const passkeyRefused = refused?.code?.startsWith('passkey-') === true;
  const message = !err
    ? null
    : askedCode
      ? code && !passkeyRefused
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

  const sso = methods.data?.sso;
  const passwords = methods.data?.password ?? true;
  // Back to this page after signing in, unless it is the desk's home anyway.
  const next = currentPath() === '/' ? '' : `?next=${encodeURIComponent(`/desk${currentPath()}`)}`;

  return (
    <main id="main" className="sign-in">
      <h1>{t('signInTitle')}</h1>
      {notice === PASSWORD_SET && <p role="status">{t('passwordSetNotice')}</p>}
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
        <>
          <form onSubmit={submit} noValidate>
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
            <CredentialInput
              label={t('password')}
              type="password"
              name="password"
              autoComplete="current-password"
              required
              value={password}
              onValue={setPassword}
            />
            {wantsCode && (
              <CredentialInput
                label={t('signInCode')}
                ref={codeField}
                name="code"
                inputMode="numeric"
                autoComplete="one-time-code"
                required
                value={code}
                hint={t('signInCodeHint')}
                onValue={setCode}
              />
            )}
            {message ? (
              <p role="alert" className="error">
                {message}
              </p>
            ) : (
              // The 421 names the address to open instead (issue 18: it once said "server problem").
              <ErrorLine error={err} />
            )}
            {factor?.passkey && (
              <>
                <button
                  type="button"
                  className={wantsCode ? undefined : 'primary'}
                  onClick={confirmWithPasskey}
                  disabled={signIn.isPending}
                >
                  {t('signInPasskeyConfirm')}
                </button>
                <PasskeyErrorLine error={passkeyFailure} />
              </>
            )}
            {/* With a passkey as the only second factor, the password is not sent again without it. */}
            {(factor === null || wantsCode) && (
              <button type="submit" className="primary" disabled={signIn.isPending}>
                {signIn.isPending ? t('signingIn') : t('signIn')}
              </button>
            )}
          </form>
          {!factor && (
            <div className="passkey-sign-in">
              <p className="hint">{t('signInPasskeyOr')}</p>
              <button type="button" onClick={() => passkeySignIn.mutate()} disabled={passkeySignIn.isPending}>
                {t('signInWithPasskey')}
              </button>
              <PasskeyErrorLine error={passkeySignIn.error} />
            </div>
          )}
          <p>
            <Link to="/forgot-password">{t('forgotPasswordLink')}</Link>
          </p>
        </>
      )}
      <LocaleSwitch />
    </main>
  );
}
