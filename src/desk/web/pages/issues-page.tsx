import { useState } from 'react';
import { isPlaceholder } from '../../../issue/drafts/placeholder-mark.ts';
import {
  ISSUE_STATES,
  type IssueState,
  useCreateFrom,
  useImportIssueFiles,
  useIssues,
} from '../api/issues.ts';
import { ErrorLine } from '../error-line.tsx';
import { formatTime } from '../format.ts';
import { useI18n } from '../i18n/i18n.tsx';
import { Link, navigate } from '../router.tsx';
import { StateBadge } from '../state-badge.tsx';
import { EmptyDesk, ImportSummary } from './empty-desk.tsx';

/** The issues: number, month, subject, state, who changed each last and when; a state filter; "New issue from No.N". */
export function IssuesPage() {
  const { t, locale } = useI18n();
  const issues = useIssues();
  const create = useCreateFrom();
  const [state, setState] = useState<IssueState | ''>('');
  const rows = (issues.data ?? []).filter((i) => state === '' || i.state === state);
  const newest = issues.data?.[0];
  const imports = useImportIssueFiles();
  const empty = issues.data?.length === 0;

  return (
    <section aria-labelledby="issues-title">
      <div className="page-head">
        <h1 id="issues-title">{t('issuesTitle')}</h1>
        {!empty && (
          <label>
            <span>{t('filterState')}</span>
            <select value={state} onChange={(e) => setState(e.target.value as IssueState | '')}>
              <option value="">{t('stateAll')}</option>
              {ISSUE_STATES.map((s) => (
                <option key={s} value={s}>
                  {t(`state_${s}`)}
                </option>
              ))}
            </select>
          </label>
        )}
        {newest && (
          <button
            type="button"
            className="primary"
            disabled={create.isPending}
            onClick={() =>
              create.mutate(newest.number, { onSuccess: (r) => navigate(`/issues/${r.number}`) })
            }
          >
            {create.isPending ? t('creating') : t('newIssueFrom', { n: newest.number })}
          </button>
        )}
      </div>
      <ErrorLine error={create.error} />
      <ErrorLine error={issues.error} />
      <ErrorLine error={imports.error} />
      {imports.data && <ImportSummary result={imports.data} />}
      {issues.isPending && <p className="loading">{t('loading')}</p>}
      {empty && <EmptyDesk imports={imports} />}
      {issues.data && !empty && (
        <table className="list issue-list">
          {/* Fixed widths: the browser lays out hundreds of rows without measuring each first. */}
          <colgroup>
            <col className="col-number" />
            <col className="col-month" />
            <col />
            <col className="col-state" />
            <col className="col-changed" />
          </colgroup>
          <thead>
            <tr>
              <th scope="col">{t('colNumber')}</th>
              <th scope="col">{t('colMonth')}</th>
              <th scope="col">{t('colSubject')}</th>
              <th scope="col">{t('colState')}</th>
              <th scope="col">{t('colChanged')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((i) => (
              <tr key={i.number}>
                <td>
                  <Link to={`/issues/${i.number}`}>No.{i.number}</Link>
                </td>
                <td>{i.month}</td>
                <td>
                  {isPlaceholder(i.subject) ? <span className="hint">{t('noSubjectYet')}</span> : i.subject}
                </td>
                <td>
                  <StateBadge state={i.state} />
                </td>
                <td>
                  {i.updatedByName} · <time dateTime={i.updatedAt}>{formatTime(i.updatedAt, locale)}</time>
                </td>
              </tr>
            ))}
            {rows.length === 0 && (
              <tr>
                <td colSpan={5}>{t('noIssues')}</td>
              </tr>
            )}
          </tbody>
        </table>
      )}
    </section>
  );
}
