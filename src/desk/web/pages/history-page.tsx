import { useState } from 'react';
import { pathLabel } from '../../../text/messages/path-label.ts';
import { useTimeline } from '../api/conversation.ts';
import { isApiError } from '../api/http.ts';
import { useIssue, useSaveIssue } from '../api/issues.ts';
import { useRevision, useRevisions } from '../api/revisions.ts';
import { differences } from '../editor/draft.ts';
import { ErrorLine } from '../error-line.tsx';
import { formatTime } from '../format.ts';
import { useI18n } from '../i18n/i18n.tsx';
import { TimelineList } from '../review/timeline-list.tsx';
import { navigate } from '../router.tsx';
import { TableBox } from '../table-box.tsx';

const show = (v: unknown) => (v === undefined ? '—' : typeof v === 'string' ? v : JSON.stringify(v));

/** Every saved revision with who and when; compare any two; restore one as a new revision; below, all that happened. */
export function HistoryPage({ number }: { number: number }) {
  const { t, locale } = useI18n();
  const revisions = useRevisions(number);
  // Who saved each revision, by display name (the timeline has them; the address until it loads).
  const timeline = useTimeline(number);
  const savedBy = new Map(
    (timeline.data ?? []).filter((e) => e.kind === 'save').map((e) => [e.revision, e.name]),
  );
  const current = useIssue(number);
  const save = useSaveIssue(number);
  const [a, setA] = useState<number | null>(null);
  const [b, setB] = useState<number | null>(null);
  const left = useRevision(number, a);
  const right = useRevision(number, b);
  // The revision someone saved after this page loaded, which refused a restore (409).
  const [stale, setStale] = useState<number | null>(null);
  const rows = left.data && right.data ? differences(left.data, right.data) : [];
  const restore = (rev: number) => {
    if (!left.data || !current.data || !window.confirm(t('restoreQuestion', { n: rev }))) return;
    const over = current.data.revision;
    setStale(null);
    save.mutate(
      { issue: left.data, revision: over },
      {
        onSuccess: () => navigate(`/issues/${number}`),
        onError: (err) => {
          const latest =
            isApiError(err) && err.status === 409 && (err.body as { revision?: number }).revision;
          // A newer revision: say so and catch up, so a second press restores over it knowingly.
          if (typeof latest === 'number' && latest !== over) {
            setStale(latest);
            void current.refetch();
            void revisions.refetch();
          }
        },
      },
    );
  };
  return (
    <section aria-labelledby="history-title">
      <h1 id="history-title">{t('historyTitle', { n: number })}</h1>
      <ErrorLine error={revisions.error} />
      <TableBox labelledBy="history-title">
        <table className="list">
          <thead>
            <tr>
              <th scope="col">{t('revision')}</th>
              <th scope="col">{t('colChanged')}</th>
              <th scope="col">{t('compareA')}</th>
              <th scope="col">{t('compareB')}</th>
            </tr>
          </thead>
          <tbody>
            {(revisions.data ?? []).map((r) => (
              <tr key={r.revision}>
                <th scope="row">{r.revision}</th>
                <td>
                  {savedBy.get(r.revision) ?? r.by} · <time dateTime={r.at}>{formatTime(r.at, locale)}</time>
                </td>
                <td>
                  <input
                    type="radio"
                    name="a"
                    aria-label={t('compareAN', { n: r.revision })}
                    checked={a === r.revision}
                    onChange={() => setA(r.revision)}
                  />
                </td>
                <td>
                  <input
                    type="radio"
                    name="b"
                    aria-label={t('compareBN', { n: r.revision })}
                    checked={b === r.revision}
                    onChange={() => setB(r.revision)}
                  />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableBox>
      {a !== null && (
        <button type="button" disabled={!left.data || save.isPending} onClick={() => restore(a)}>
          {t('restoreN', { n: a })}
        </button>
      )}
      {stale !== null && a !== null ? (
        <p role="alert" className="error">
          {t('restoreStale', { n: stale, a })}
        </p>
      ) : (
        <ErrorLine error={save.error ?? left.error} />
      )}
      {left.data && right.data && (
        <table className="diff">
          <caption>{t('compareCaption', { a: a ?? '', b: b ?? '' })}</caption>
          <thead>
            <tr>
              <th scope="col">{t('field')}</th>
              <th scope="col">{a}</th>
              <th scope="col">{b}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map(([path, x, y]) => (
              <tr key={path}>
                <th scope="row">{pathLabel(path, t)}</th>
                <td>{show(x)}</td>
                <td>{show(y)}</td>
              </tr>
            ))}
            {rows.length === 0 && (
              <tr>
                <td colSpan={3}>{t('noDifferences')}</td>
              </tr>
            )}
          </tbody>
        </table>
      )}
      <TimelineList number={number} />
    </section>
  );
}
