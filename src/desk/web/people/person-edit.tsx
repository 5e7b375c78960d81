import { type FormEvent, useState } from 'react';
import type { SubscriberHistory } from '../../api/schemas.ts';
import { useEditSubscriber, useUnsubscribe } from '../api/subscribers.ts';
import { ErrorLine } from '../error-line.tsx';
import { statusWords, useI18n } from '../i18n/i18n.tsx';
import { ListChoice } from './list-choice.tsx';
import { LocaleSelect } from './locale-select.tsx';

type Person = { name?: string; locale?: string; status?: string; left?: { reason?: string } | null };

/** Admin: change a person's name, locale and lists; unsubscribe them with a reason on record. */
export function PersonEdit({ email, history }: { email: string; history: SubscriberHistory }) {
  const { t } = useI18n();
  const person = (history.subscriber ?? {}) as Person;
  const edit = useEditSubscriber(email);
  const leave = useUnsubscribe(email);
  const [name, setName] = useState(person.name ?? '');
  const [locale, setLocale] = useState(person.locale ?? 'ja');
  const [lists, setLists] = useState<string[]>(history.lists);
  const [reason, setReason] = useState('');
  if (!history.subscriber) return null;
  const save = (e: FormEvent) => {
    e.preventDefault();
    edit.mutate({ name, locale, lists });
  };
  const active = person.status === 'active' || person.status === 'pending';
  return (
    <>
      <form onSubmit={save} aria-label={t('editPerson')}>
        <h3>{t('editPerson')}</h3>
        <label>
          <span>{t('name')}</span>
          <input value={name} onChange={(e) => setName(e.target.value)} />
        </label>
        <LocaleSelect value={locale} onChange={setLocale} />
        <ListChoice chosen={lists} onChange={setLists} />
        <button type="submit" disabled={edit.isPending}>
          {t('save')}
        </button>
        {edit.isSuccess && <p role="status">{t('personSaved')}</p>}
        <ErrorLine error={edit.error} />
      </form>
      {active ? (
        <form
          aria-label={t('unsubscribePerson')}
          onSubmit={(e) => {
            e.preventDefault();
            leave.mutate(reason);
          }}
        >
          <h3>{t('unsubscribePerson')}</h3>
          <label>
            <span>{t('unsubscribeReason')}</span>
            <input required maxLength={500} value={reason} onChange={(e) => setReason(e.target.value)} />
          </label>
          <button type="submit" className="danger" disabled={!reason.trim() || leave.isPending}>
            {t('unsubscribeButton')}
          </button>
          <ErrorLine error={leave.error} />
        </form>
      ) : (
        <p>
          {t('personLeft', {
            status: statusWords(person.status ?? '', t),
            reason: person.left?.reason || '—',
          })}
        </p>
      )}
    </>
  );
}
