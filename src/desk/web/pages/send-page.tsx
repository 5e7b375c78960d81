import { type FormEvent, useState } from 'react';
import { useIssue } from '../api/issues.ts';
import { useLists } from '../api/lists.ts';
import { useCreateSend } from '../api/sends.ts';
import { can, useSession } from '../api/session.ts';
import { SendEditions } from '../editions/send-editions.tsx';
import { ErrorLine } from '../error-line.tsx';
import { DESK_ZONE, formatCount, formatTime } from '../format.ts';
import { useI18n } from '../i18n/i18n.tsx';
import { Link, navigate } from '../router.tsx';
import { seoulToIso } from '../seoul-time.ts';

/** A test send to a few addresses, and the schedule: a time in Asia/Seoul, a list, then a confirmation. */
export function SendPage({ number }: { number: number }) {
  const { t, tn, locale } = useI18n();
  const user = useSession().data;
  const issue = useIssue(number);
  const lists = useLists();
  const test = useCreateSend();
  const schedule = useCreateSend();
  const [testTo, setTestTo] = useState(user?.email ?? '');
  const [list, setList] = useState('');
  const [at, setAt] = useState('');
  const [confirming, setConfirming] = useState(false);
  const chosen = lists.data?.find((l) => l.name === (list || lists.data?.[0]?.name));
  const state = issue.data?.state;
  // Approved, or already scheduled or sent to a list (then it may go to another one).
  const schedulable = state === 'approved' || state === 'scheduled' || state === 'sent';

  if (!can(user, 'sender')) return <p role="alert">{t('errorForbidden')}</p>;
  const sendTest = (e: FormEvent) => {
    e.preventDefault();
    const to = testTo.split(/[\s,]+/).filter(Boolean);
    test.mutate({ issue: number, test: to });
  };
  const doSchedule = () =>
    schedule.mutate(
      { issue: number, list: chosen?.name ?? '', ...(at ? { at: seoulToIso(at) } : {}) },
      { onSuccess: (r) => navigate(`/sends/${r.id}`) },
    );

  return (
    <section aria-labelledby="send-title">
      <h1 id="send-title">{t('sendTitle', { n: number, subject: issue.data?.issue.subject ?? '' })}</h1>
      <form onSubmit={sendTest} className="card">
        <h2>{t('testSend')}</h2>
        <label>
          <span>{t('testAddresses')}</span>
          <input value={testTo} onChange={(e) => setTestTo(e.target.value)} />
        </label>
        <button type="submit" disabled={test.isPending}>
          {test.isPending ? t('sendingTest') : t('sendTest')}
        </button>
        {test.isSuccess && <p role="status">{tn('testSent', test.data.recipients)}</p>}
        <ErrorLine error={test.error} />
      </form>
      <div className="card">
        <h2>{t('schedule')}</h2>
        {issue.data && !schedulable && <p className="error">{t('notApproved')}</p>}
        {issue.data && <SendEditions editions={issue.data.editions} />}
        {(state === 'scheduled' || state === 'sent') && (
          <p>
            {t(state === 'sent' ? 'alreadySent' : 'alreadyScheduled', { n: number })}{' '}
            <Link to={`/sends?issue=${number}`}>{t('sendsAndReports')}</Link>
          </p>
        )}
        <label>
          <span>{t('list')}</span>
          <select value={chosen?.name ?? ''} onChange={(e) => setList(e.target.value)}>
            {(lists.data ?? []).map((l) => (
              <option key={l.name} value={l.name}>
                {t('listWithCount', { list: l.name, n: formatCount(l.active, locale) })}
              </option>
            ))}
          </select>
        </label>
        <label>
          <span>{t('sendAt', { zone: DESK_ZONE })}</span>
          <input type="datetime-local" value={at} onChange={(e) => setAt(e.target.value)} />
        </label>
        <small className="hint">{t('sendAtHint')}</small>
        {!confirming ? (
          <button type="button" disabled={!chosen || !schedulable} onClick={() => setConfirming(true)}>
            {t('scheduleNext')}
          </button>
        ) : (
          <div role="alertdialog" aria-labelledby="confirm-text" className="confirm">
            <p id="confirm-text">
              <strong>{tn('readersOf', chosen?.members ?? 0, { list: chosen?.name ?? '' })}</strong>{' '}
              {at ? t('atTime', { at: formatTime(seoulToIso(at), locale), zone: DESK_ZONE }) : t('now')}
            </p>
            <button type="button" className="primary" disabled={schedule.isPending} onClick={doSchedule}>
              {t('confirmSchedule')}
            </button>
            <button type="button" onClick={() => setConfirming(false)}>
              {t('cancel')}
            </button>
          </div>
        )}
        <ErrorLine error={schedule.error} />
      </div>
    </section>
  );
}
