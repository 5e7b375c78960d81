import { type FormEvent, useState } from 'react';
import { useAddSubscriber } from '../api/subscribers.ts';
import { ErrorLine } from '../error-line.tsx';
import { useI18n } from '../i18n/i18n.tsx';
import { ListChoice } from './list-choice.tsx';
import { LocaleSelect } from './locale-select.tsx';

/** Admin: adds one person to the lists chosen; the consent on record names the admin. */
export function AddPersonForm({ onAdded }: { onAdded: (email: string) => void }) {
  const { t, locale: uiLocale } = useI18n();
  const add = useAddSubscriber();
  const [email, setEmail] = useState('');
  const [name, setName] = useState('');
  const [locale, setLocale] = useState<string>(uiLocale);
  const [lists, setLists] = useState<string[]>([]);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    add.mutate(
      { email, name, locale, lists },
      {
        onSuccess: (r) => {
          setEmail('');
          setName('');
          onAdded(r.email);
        },
      },
    );
  };
  return (
    <form className="card" aria-labelledby="add-person-title" onSubmit={submit}>
      <h2 id="add-person-title">{t('addPerson')}</h2>
      <label>
        <span>{t('email')}</span>
        <input type="email" required value={email} onChange={(e) => setEmail(e.target.value)} />
      </label>
      <label>
        <span>{t('name')}</span>
        <input value={name} onChange={(e) => setName(e.target.value)} />
      </label>
      <LocaleSelect value={locale} onChange={setLocale} />
      <ListChoice chosen={lists} onChange={setLists} />
      <p className="hint">{t('addPersonConsent')}</p>
      <button type="submit" className="primary" disabled={!email || lists.length === 0 || add.isPending}>
        {t('addPersonButton')}
      </button>
      {add.isSuccess && <p role="status">{t(`added_${add.data.outcome}`, { email: add.data.email })}</p>}
      <ErrorLine error={add.error} />
    </form>
  );
}
