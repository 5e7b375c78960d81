import { type FormEvent, type ReactNode, useEffect, useRef, useState } from 'react';
import { needsConfirmation, useConfirmIdentity } from './api/confirm-identity.ts';
import { usePasskeys } from './api/passkeys.ts';
import { useSignInMethods } from './api/session.ts';
import { CredentialInput } from './credential-input.tsx';
import { useI18n } from './i18n/i18n.tsx';
import { PasskeyErrorLine } from './passkey-error-line.tsx';

/**
 * The small dialog that asks the signed-in user to prove who they are before a change the server
 * holds back (403 `confirm-identity`): their password, or one of their passkeys; where passwords are
 * off (or for an account of the identity provider), a new sign-in there. Escape or 「キャンセル」 closes it.
 */
function ConfirmIdentityDialog({ onConfirmed, onClose }: { onConfirmed: () => void; onClose: () => void }) {
  const { t } = useI18n();
  const ref = useRef<HTMLDialogElement>(null);
  const methods = useSignInMethods().data;
  const hasPasskey = (usePasskeys().data?.passkeys.length ?? 0) > 0;
  const confirm = useConfirmIdentity();
  const [password, setPassword] = useState('');
  useEffect(() => {
    ref.current?.showModal();
  }, []);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    confirm.mutate({ password }, { onSuccess: onConfirmed });
  };
  const sso = methods?.sso;
  const back = `${location.pathname}${location.search}`;
  return (
    <dialog
      ref={ref}
      className="confirm-identity"
      aria-labelledby="confirm-identity-title"
      onCancel={(e) => {
        e.preventDefault();
        onClose();
      }}
    >
      <h2 id="confirm-identity-title">{t('confirmIdentityTitle')}</h2>
      <p>{t('confirmIdentityIntro')}</p>
      {methods?.password && (
        <form onSubmit={submit} noValidate>
          <CredentialInput
            label={t('password')}
            type="password"
            name="password"
            autoComplete="current-password"
            autoFocus
            required
            value={password}
            onValue={setPassword}
          />
          <div className="actions">
            <button type="submit" className="primary" disabled={confirm.isPending || password === ''}>
              {t('confirmIdentitySubmit')}
            </button>
            {hasPasskey && (
              <button
                type="button"
                disabled={confirm.isPending}
                onClick={() => confirm.mutate('passkey', { onSuccess: onConfirmed })}
              >
                {t('confirmIdentityPasskey')}
              </button>
            )}
          </div>
        </form>
      )}
      <PasskeyErrorLine error={confirm.error} />
      {sso && (
        <p className="hint">
          {t(methods.password ? 'confirmIdentitySsoHint' : 'confirmIdentitySsoOnly')}{' '}
          <a href={`${sso.path}?next=${encodeURIComponent(back)}`}>{t('signInWith', { name: sso.name })}</a>
        </p>
      )}
      <div className="actions">
        <button type="button" onClick={onClose}>
          {t('cancel')}
        </button>
      </div>
    </dialog>
  );
}

/**
 * For a change the server may hold back until the user proves who they are: `askIfNeeded` (a
 * mutation's onError) opens the dialog when the refusal is that one, and runs `again` once the user
 * has confirmed; `dialog` is to be rendered where the change's button is.
 */
export function useIdentityCheck(): {
  askIfNeeded: (error: unknown, again: () => void) => void;
  dialog: ReactNode;
} {
  const [again, setAgain] = useState<(() => void) | null>(null);
  return {
    askIfNeeded: (error, retry) => {
      if (needsConfirmation(error)) setAgain(() => retry);
    },
    dialog: again && (
      <ConfirmIdentityDialog
        onClose={() => setAgain(null)}
        onConfirmed={() => {
          setAgain(null);
          again();
        }}
      />
    ),
  };
}
