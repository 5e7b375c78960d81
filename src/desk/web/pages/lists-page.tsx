import { type FormEvent, useState } from 'react';
import { useCreateList, useLists } from '../api/lists.ts';
import { can, useSession } from '../api/session.ts';
import { ErrorLine } from '../error-line.tsx';
import { formatCount } from '../format.ts';
import { useI18n } from '../i18n/i18n.tsx';
import { TableBox } from '../table-box.tsx';

/** Each list with its active and all members (senders and admins); admins add a list here. */
export function ListsPage() {
  const { t, locale } = useI18n();
  const user = useSession().data;
  const lists = useLists();
  const create = useCreateList();
  const [name, setName] = useState('');
  if (!can(user, 'sender')) return <p role="alert">{t('errorForbidden')}</p>;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate(name, { onSuccess: () => setName('') });
  };
  return (
    <section aria-labelledby="lists-title">
      <h1 id="lists-title">{t('listsTitle')}</h1>
      <ErrorLine error={lists.error} />
      <TableBox labelledBy="lists-title">
        <table className="list">
          <thead>
            <tr>
              <th scope="col">{t('list')}</th>
              <th scope="col">{t('colActive')}</th>
              <th scope="col">{t('colMembers')}</th>
            </tr>
          </thead>
          <tbody>
            {(lists.data ?? []).map((l) => (
              <tr key={l.name}>
                <th scope="row">{l.name}</th>
                <td>{formatCount(l.active, locale)}</td>
                <td>{formatCount(l.members, locale)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableBox>
      <p className="hint">{t('listsHint')}</p>
      {user?.roles.includes('admin') && (
        <form className="card" aria-labelledby="new-list-title" onSubmit={submit}>
          <h2 id="new-list-title">{t('newList')}</h2>
          <label>
            <span>{t('listName')}</span>
            <input value={name} maxLength={64} onChange={(e) => setName(e.target.value)} />
          </label>
          <p className="hint">{t('listNameHint')}</p>
          <button type="submit" disabled={!name.trim() || create.isPending}>
            {t('createList')}
          </button>
          {create.isSuccess && <p role="status">{t('listCreated', { list: create.data.name })}</p>}
          <ErrorLine error={create.error} />
        </form>
      )}
    </section>
  );
}
