import { type FormEvent, useState } from 'react';
import { useCreateList, useLists, useRenameList } from '../api/lists.ts';
import { can, useSession } from '../api/session.ts';
import { ErrorLine } from '../error-line.tsx';
import { formatCount } from '../format.ts';
import { useI18n } from '../i18n/i18n.tsx';
import { TableBox } from '../table-box.tsx';

/** Renaming a list (admin): its members go with it; a name that exists is refused by the server. */
function RenameList({ names }: { names: string[] }) {
  const { t } = useI18n();
  const rename = useRenameList();
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const chosen = names.includes(from) ? from : (names[0] ?? '');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    rename.mutate({ from: chosen, to }, { onSuccess: () => setTo('') });
  };
  return (
    <form className="card" aria-labelledby="rename-list-title" onSubmit={submit}>
      <h2 id="rename-list-title">{t('renameListTitle')}</h2>
      <label>
        <span>{t('list')}</span>
        <select value={chosen} onChange={(e) => setFrom(e.target.value)}>
          {names.map((n) => (
            <option key={n} value={n}>
              {n}
            </option>
          ))}
        </select>
      </label>
      <label>
        <span>{t('newListName')}</span>
        <input value={to} maxLength={64} onChange={(e) => setTo(e.target.value)} />
      </label>
      <p className="hint">{t('renameListHint')}</p>
      <button type="submit" disabled={!chosen || !to.trim() || rename.isPending}>
        {t('renameList')}
      </button>
      {rename.isSuccess && (
        <p role="status">{t('listRenamed', { from: rename.variables.from, list: rename.data.name })}</p>
      )}
      <ErrorLine error={rename.error} />
    </form>
  );
}

/** Each list with its active and all members (senders and admins); admins add and rename lists here. */
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
      {user?.roles.includes('admin') && (lists.data ?? []).length > 0 && (
        <RenameList names={(lists.data ?? []).map((l) => l.name)} />
      )}
    </section>
  );
}
