import { type FormEvent, useState } from 'react';
import { useAddPasskey, usePasskeys, useRemovePasskey } from '../api/passkeys.ts';
import { useIdentityCheck } from '../confirm-identity-dialog.tsx';
import { formatTime } from '../format.ts';
import { useI18n } from '../i18n/i18n.tsx';
import { PasskeyErrorLine } from '../passkey-error-line.tsx';

/**
 * The account page's passkeys (issue 22): each with its name, when it was added and last used, and
 * a button that removes it; a name field and a button that enrols this device's passkey under it. Both
 * ask the user to prove who they are first when the server holds them back.
 */
export function PasskeySection() {
  const { t, locale } = useI18n();
  const passkeys = usePasskeys();
  const add = useAddPasskey();
  const remove = useRemovePasskey();
  const check = useIdentityCheck();
  const removeOne = (id: string) =>
    remove.mutate(id, { onError: (error) => check.askIfNeeded(error, () => removeOne(id)) });
  const [name, setName] = useState('');

  const addOne = (named: string) =>
    add.mutate(named, {
      onSuccess: () => setName(''),
      onError: (error) => check.askIfNeeded(error, () => addOne(named)),
    });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (name.trim() === '') return;
    addOne(name.trim());
  };
  const list = passkeys.data?.passkeys;

  return (
    <section aria-labelledby="passkeys-title">
      <h2 id="passkeys-title">{t('passkeysTitle')}</h2>
      <p className="hint">{t('passkeysIntro')}</p>
      <PasskeyErrorLine error={passkeys.error} />
      {list && list.length === 0 && <p>{t('passkeysNone')}</p>}
      {list && list.length > 0 && (
        <ul className="passkeys" aria-label={t('passkeysListLabel')}>
          {list.map((p) => (
            <li key={p.id}>
              <span className="passkey-name">{p.name}</span>
              <span className="hint">
                {t('passkeyAdded', { at: formatTime(p.createdAt, locale) })}
                {' · '}
                {p.lastUsedAt
                  ? t('passkeyUsed', { at: formatTime(p.lastUsedAt, locale) })
                  : t('passkeyNeverUsed')}
              </span>
              <button
                type="button"
                aria-label={t('passkeyRemoveNamed', { name: p.name })}
                disabled={remove.isPending}
                onClick={() => removeOne(p.id)}
              >
                {t('passkeyRemove')}
              </button>
            </li>
          ))}
        </ul>
      )}
      <PasskeyErrorLine error={remove.error} />
      {check.dialog}
      <form className="passkey-add" onSubmit={submit} noValidate>
        <label>
          <span>{t('passkeyName')}</span>
          <input
            name="passkey-name"
            maxLength={64}
            required
            placeholder={t('passkeyNamePlaceholder')}
            value={name}
            onChange={(e) => setName(e.target.value)}
          />
        </label>
        <button type="submit" className="primary" disabled={add.isPending || name.trim() === ''}>
          {t('passkeyAdd')}
        </button>
      </form>
      <PasskeyErrorLine error={add.error} />
    </section>
  );
}
