import { useReport } from '../api/reports.ts';
import { useSend } from '../api/sends.ts';
import { ErrorLine } from '../error-line.tsx';
import { formatCount, formatShare } from '../format.ts';
import { useI18n } from '../i18n/i18n.tsx';
import { ClickMap } from '../report/click-map.tsx';
import { Compare } from '../report/compare.tsx';
import { EditionColumns } from '../report/edition-columns.tsx';
import { linksCsv } from '../report/links-csv.ts';
import { TimelineChart } from '../report/timeline-chart.tsx';
import { SendProgress } from '../sends/send-progress.tsx';

/** One send: live progress while it runs, then its report (figures, each edition's beside the others, chart, bounces, click map, CSV). */
export function ReportPage({ id }: { id: string }) {
  const { t, locale } = useI18n();
  const status = useSend(id);
  const state = status.data?.state;
  const live = state === 'scheduled' || state === 'sending' || state === 'paused';
  const report = useReport(id, { enabled: state !== undefined, live, settled: live ? 'live' : state });
  const r = report.data;
  const csvHref = r ? `data:text/csv;charset=utf-8,${encodeURIComponent(linksCsv(r))}` : undefined;
  return (
    <section aria-labelledby="report-title">
      <h1 id="report-title">{r ? t('reportTitle', { n: r.issue, subject: r.subject }) : id}</h1>
      <ErrorLine error={status.error} />
      {status.data && <SendProgress status={status.data} />}
      <ErrorLine error={report.error} />
      {r && (
        <>
          <dl className="figures card">
            <div>
              <dt>{t('delivered')}</dt>
              <dd>{formatCount(r.delivered, locale)}</dd>
            </div>
            <div>
              <dt>{t('uniqueClicks')}</dt>
              <dd>{formatCount(r.uniqueClicks, locale)}</dd>
            </div>
            <div>
              <dt>{t('clickRate')}</dt>
              <dd>{formatShare(r.clickRate, locale)}</dd>
            </div>
            <div>
              <dt>{t('totalClicks')}</dt>
              <dd>{formatCount(r.totalClicks, locale)}</dd>
            </div>
            <div>
              <dt>{t('machineClicks')}</dt>
              <dd>{formatCount(r.machineClicks, locale)}</dd>
            </div>
            <div>
              <dt>{t('unsubscribed')}</dt>
              <dd>{formatCount(r.unsubscribed, locale)}</dd>
            </div>
            <div>
              <dt>{t('complaints')}</dt>
              <dd>{formatCount(r.complaints, locale)}</dd>
            </div>
          </dl>
          <EditionColumns editions={r.editions} />
          <TimelineChart deliveries={r.timeline.deliveries} clicks={r.timeline.clicks} />
          <section className="card" aria-labelledby="bounces-title">
            <h2 id="bounces-title">{t('bouncesByReason')}</h2>
            {Object.keys(r.bouncesByReason).length === 0 ? (
              <p>{t('noBounces')}</p>
            ) : (
              <ul>
                {Object.entries(r.bouncesByReason).map(([reason, n]) => (
                  <li key={reason}>
                    {reason}: {formatCount(n, locale)}
                  </li>
                ))}
              </ul>
            )}
          </section>
          <ClickMap report={r} />
          <a className="button" href={csvHref} download={`gazette-${r.issue}-${r.id}-links.csv`}>
            {t('downloadCsv')}
          </a>
          <Compare />
        </>
      )}
    </section>
  );
}
