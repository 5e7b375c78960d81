import { type FormEvent, useState } from 'react';
import type { TotpEnrolment } from '../../api/schemas.ts';
import { usePasskeys } from '../api/passkeys.ts';
import { useBeginTotp, useConfirmTotp, useRemoveTotp, useTotpStatus } from '../api/second-factor.ts';
import { can, useSession, useSignInMethods } from '../api/session.ts';
import { useIdentityCheck } from '../confirm-identity-dialog.tsx';
import { CredentialInput } from '../credential-input.tsx';
import { ErrorLine } from '../error-line.tsx';
import { useI18n } from '../i18n/i18n.tsx';
import { SecondFactorPolicy } from './second-factor-policy.tsx';

/**
 * The account page's two-factor part (issue 22): enrol an authenticator app (QR code, the secret to
 * type, a code to confirm), the ten recovery codes shown once, and removal (after the user proves
 * who they are, when the server asks); for an admin, also which roles must have one. Someone who
 * signed in through the organisation's identity provider (this session came through it, or passwords
 * are off here) is told that the provider handles the second factor: the desk's own is never asked of
 * such a session, so none is offered.
 */
export function TwoFactorSection() {
  const { t } = useI18n();
  const status = useTotpStatus();
  // A passkey satisfies the policy as well as an authenticator app does.
  const hasPasskey = (usePasskeys().data?.passkeys.length ?? 0) > 0;
  const admin = can(useSession().data, 'admin');
  const methods = useSignInMethods().data;
  const provider = methods?.sso && (status.data?.sso || methods.password === false) ? methods.sso.name : null;
  // What the server holds the policy against (requireSecondFactor): the provider's word for a single
  // sign-on, else the desk's own factors.
  const lacking = status.data?.sso ? !status.data.sso.mfa : !status.data?.enrolled && !hasPasskey;
  const begin = useBeginTotp();
  const confirm = useConfirmTotp();
  const remove = useRemoveTotp();
  const [enrolment, setEnrolment] = useState<TotpEnrolment | null>(null);
  const [recovery, setRecovery] = useState<string[] | null>(null);
  const [code, setCode] = useState('');
  const check = useIdentityCheck();

  const start = () =>
    begin.mutate(undefined, {
      onSuccess: setEnrolment,
      onError: (error) => check.askIfNeeded(error, start),
    });
  const submitCode = (e: FormEvent) => {
    e.preventDefault();
    confirm.mutate(code.replace(/\s/g, ''), {
      onSuccess: (r) => {
        setRecovery(r.recoveryCodes);
        setEnrolment(null);
        setCode('');
      },
    });
  };
  const removeApp = () =>
    remove.mutate(undefined, { onError: (error) => check.askIfNeeded(error, removeApp) });

  return (
    <section aria-labelledby="two-factor-title">
      <h2 id="two-factor-title">{t('twoFactorTitle')}</h2>
      <ErrorLine error={status.error} />
      {provider && <p className="hint">{t('twoFactorByProvider', { provider })}</p>}
      {status.data?.required && lacking && (
        <p role="status" className="error">
          {provider ? t('twoFactorProviderRequired', { provider }) : t('twoFactorRequired')}
        </p>
      )}
      {recovery && (
        <div role="status">
          <p>{t('twoFactorRecoveryIntro')}</p>
          <ul className="recovery-codes" aria-label={t('twoFactorRecoveryLabel')}>
            {recovery.map((c) => (
              <li key={c}>
                <code>{c}</code>
              </li>
            ))}
          </ul>
        </div>
      )}
      {status.data && !status.data.enrolled && !enrolment && !provider && (
        <>
          <p className="hint">{t(hasPasskey ? 'twoFactorOffWithPasskey' : 'twoFactorOff')}</p>
          <button type="button" className="primary" onClick={start} disabled={begin.isPending}>
            {t('twoFactorStart')}
          </button>
          <ErrorLine error={begin.error} />
        </>
      )}
      {enrolment && (
        <form onSubmit={submitCode} noValidate>
          <p>{t('twoFactorScan')}</p>
          <img src={enrolment.qr} alt={t('twoFactorQrAlt')} width={200} height={200} />
          <p>
            <span className="hint">{t('twoFactorSecret')}</span> <code>{enrolment.secret}</code>
          </p>
          <CredentialInput
            label={t('twoFactorCode')}
            name="code"
            inputMode="numeric"
            autoComplete="one-time-code"
            pattern="[0-9]*"
            maxLength={6}
            required
            value={code}
            onValue={setCode}
          />
          <ErrorLine error={confirm.error} />
          <button type="submit" className="primary" disabled={confirm.isPending}>
            {t('twoFactorConfirm')}
          </button>
        </form>
      )}
      {status.data?.enrolled && (
        <>
          <p className="hint">{t('twoFactorOn')}</p>
          <ErrorLine error={remove.error} />
          <button type="button" onClick={removeApp} disabled={remove.isPending}>
            {t('twoFactorRemove')}
          </button>
        </>
      )}
      {check.dialog}
      {admin && <SecondFactorPolicy />}
    </section>
  );
}
