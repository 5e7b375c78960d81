import { type FormEvent, useState } from 'react';
import { placedText } from '../../../text/messages/message-text.ts';
import { useImport, useSubscriber, useSubscribers } from '../api/subscribers.ts';
import { localeName } from '../editions/editions-panel.tsx';
import { ErrorLine } from '../error-line.tsx';
import { statusWords, useI18n } from '../i18n/i18n.tsx';
import { AddPersonForm } from '../people/add-person-form.tsx';
import { PersonEdit } from '../people/person-edit.tsx';
import { PersonHistory } from '../person-history.tsx';
import { TableBox } from '../table-box.tsx';

/** Admin: search subscribers, read, edit or unsubscribe a person, add one, import a CSV (rejected rows shown), export. */
export function SubscribersPage() {
  const { t } = useI18n();
  const [q, setQ] = useState('');
  const [query, setQuery] = useState('');
  const [who, setWho] = useState<string | null>(null);
  const [file, setFile] = useState<File | null>(null);
  const [list, setList] = useState('members');
  const rows = useSubscribers(query);
  const person = useSubscriber(who);
  const importer = useImport();
  const summary = importer.data;
  const rejected = summary?.rejected ?? [];
  const search = (e: FormEvent) => {
    e.preventDefault();
    setQuery(q.trim());
  };
  return (
    <section aria-labelledby="subs-title">
      <h1 id="subs-title">{t('subscribersTitle')}</h1>
      <form aria-label={t('search')} onSubmit={search} className="row">
        <label>
          <span>{t('searchSubscribers')}</span>
          <input type="search" value={q} onChange={(e) => setQ(e.target.value)} />
        </label>
        <button type="submit">{t('search')}</button>
        <a className="button" href="/desk/api/subscribers/export?format=csv" download>
          {t('exportCsv')}
        </a>
      </form>
      <ErrorLine error={rows.error} />
      <TableBox labelledBy="subs-title">
        <table className="list">
          <thead>
            <tr>
              <th scope="col">{t('email')}</th>
              <th scope="col">{t('name')}</th>
              <th scope="col">{t('status')}</th>
              <th scope="col">{t('colLocale')}</th>
            </tr>
          </thead>
          <tbody>
            {(rows.data?.pages ?? [])
              .flatMap((page) => page.subscribers)
              .map((s) => (
                <tr key={s.email}>
                  <th scope="row">
                    <button type="button" className="link" onClick={() => setWho(s.email)}>
                      {s.email}
                    </button>
                  </th>
                  <td>{s.name}</td>
                  <td>{statusWords(s.status, t)}</td>
                  <td>{t(localeName(s.locale))}</td>
                </tr>
              ))}
          </tbody>
        </table>
      </TableBox>
      {rows.hasNextPage && (
        <button type="button" disabled={rows.isFetchingNextPage} onClick={() => rows.fetchNextPage()}>
          {rows.isFetchingNextPage ? t('loading') : t('moreSubscribers')}
        </button>
      )}
      {who && (
        <section className="card" aria-labelledby="person-title">
          <h2 id="person-title">{who}</h2>
          <ErrorLine error={person.error} />
          {person.data && <PersonHistory history={person.data} />}
          {person.data && <PersonEdit key={who} email={who} history={person.data} />}
        </section>
      )}
      <AddPersonForm onAdded={setWho} />
      <form
        className="card"
        onSubmit={(e) => {
          e.preventDefault();
          if (file) importer.mutate({ file, list });
        }}
      >
        <h2>{t('importCsv')}</h2>
        <label>
          <span>{t('csvFile')}</span>
          <input type="file" accept=".csv,text/csv" onChange={(e) => setFile(e.target.files?.[0] ?? null)} />
        </label>
        <label>
          <span>{t('list')}</span>
          <input value={list} onChange={(e) => setList(e.target.value)} />
        </label>
        <button type="submit" disabled={!file || importer.isPending}>
          {importer.isPending ? t('importing') : t('import')}
        </button>
        {importer.isPending && <progress aria-label={t('importing')} />}
        <ErrorLine error={importer.error} />
        {summary && (
          <div role="status">
            <p>
              {t('importSummary', {
                added: summary.added,
                updated: summary.updated,
                skipped: summary.unchanged + summary.suppressed,
                rejected: rejected.length,
              })}
            </p>
            <ul>
              {rejected.map((r) => (
                <li key={r.line}>
                  {t('importRow', { line: r.line, message: placedText({ ...r, message: r.reason }, t) })}
                </li>
              ))}
            </ul>
          </div>
        )}
      </form>
    </section>
  );
}
