import { useState } from 'react';
import { SEND_STATES, type SendState } from '../../../send/record/send-state.ts';
import { useSends } from '../api/sends.ts';
import { ErrorLine } from '../error-line.tsx';
import { formatCount, formatTime } from '../format.ts';
import { useI18n } from '../i18n/i18n.tsx';
import { Link } from '../router.tsx';
import { TableBox } from '../table-box.tsx';

/** `?issue=204` when a page links to one issue's sends. */
function issueInQuery(): number | '' {
  const n = Number(new URLSearchParams(location.search).get('issue'));
  return Number.isInteger(n) && n > 0 ? n : '';
}

/**
 * The sends: issue number and subject, list, when (Asia/Seoul), state and delivered/total, test sends
 * marked; filters by issue and state. Each row opens the send's live page and report.
 */
export function SendsPage() {
  const { t, locale } = useI18n();
  const sends = useSends();
  const [issue, setIssue] = useState<number | ''>(issueInQuery);
  const [state, setState] = useState<SendState | ''>('');
  const all = sends.data ?? [];
  const numbers = [...new Set(all.map((s) => s.issue))].sort((a, b) => b - a);
  const rows = all.filter((s) => (issue === '' || s.issue === issue) && (state === '' || s.state === state));
  return (
    <section aria-labelledby="sends-title">
      <div className="page-head">
        <h1 id="sends-title">{t('sendsTitle')}</h1>
        <label>
          <span>{t('filterIssue')}</span>
          <select value={issue} onChange={(e) => setIssue(e.target.value ? Number(e.target.value) : '')}>
            <option value="">{t('issueAll')}</option>
            {numbers.map((n) => (
              <option key={n} value={n}>
                No.{n}
              </option>
            ))}
          </select>
        </label>
        <label>
          <span>{t('filterState')}</span>
          <select value={state} onChange={(e) => setState(e.target.value as SendState | '')}>
            <option value="">{t('stateAll')}</option>
            {SEND_STATES.map((s) => (
              <option key={s} value={s}>
                {t(`send_${s}`)}
              </option>
            ))}
          </select>
        </label>
      </div>
      <ErrorLine error={sends.error} />
      {sends.isPending && <p className="loading">{t('loading')}</p>}
      {sends.data && rows.length === 0 && <p>{t('noSends')}</p>}
      {rows.length > 0 && (
        <TableBox labelledBy="sends-title">
          <table className="list send-list">
            <thead>
              <tr>
                <th scope="col">{t('colNumber')}</th>
                <th scope="col">{t('colSubject')}</th>
                <th scope="col">{t('list')}</th>
                <th scope="col">{t('colWhen')}</th>
                <th scope="col">{t('colState')}</th>
                <th scope="col">{t('colDelivered')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((s) => (
                <tr key={s.id}>
                  <td>No.{s.issue}</td>
                  <td>
                    <Link to={`/sends/${s.id}`}>{s.subject}</Link>
                    {s.test && <span className="badge badge-test">{t('testBadge')}</span>}
                  </td>
                  <td>{s.test ? '—' : s.list}</td>
                  <td>{formatTime(s.startedAt ?? s.at, locale)}</td>
                  <td>{t(`send_${s.state}`)}</td>
                  <td>
                    {formatCount(s.delivered, locale)} / {formatCount(s.total, locale)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableBox>
      )}
    </section>
  );
}
