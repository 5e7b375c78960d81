import { useRef } from 'react';
import type { Issue } from '../../../issue/schema.ts';
import type { SendReport } from '../../api/schemas.ts';
import { useIssue } from '../api/issues.ts';
import { useDraftPreview } from '../api/previews.ts';
import { formatShare } from '../format.ts';
import { useI18n } from '../i18n/i18n.tsx';
import { linkName } from './link-name.ts';
import { markShares } from './mark-shares.ts';

/**
 * The issue itself (its preview, framed from the desk's own origin and as tall as the mail) with
 * each link's share of the clicks drawn on it, and the same figures as a table beside it, each link
 * named as a reader sees it, for screen readers and for links no longer in the issue. Shares are of
 * people's clicks; machines' clicks have a column of their own.
 */
export function ClickMap({ report }: { report: SendReport }) {
  const { t, locale } = useI18n();
  const frame = useRef<HTMLIFrameElement>(null);
  const issue = useIssue(report.issue);
  const preview = useDraftPreview(report.issue, issue.data?.issue as Issue, issue.data !== undefined);
  const share = (n: number) => (report.totalClicks ? n / report.totalClicks : 0);
  const mark = () => {
    const el = frame.current;
    const doc = el?.contentDocument;
    if (!el || !doc) return;
    markShares(
      doc,
      report.links.map((l) => ({ url: l.url, label: formatShare(share(l.total), locale) })),
    );
    el.style.height = `${doc.documentElement.scrollHeight + 2}px`;
  };
  return (
    <section className="card click-map" aria-labelledby="clickmap-title">
      <h2 id="clickmap-title">{t('clickMap')}</h2>
      <div className="click-map-columns">
        {preview.data ? (
          <iframe
            ref={frame}
            title={t('clickMapFrame')}
            src={preview.data.html}
            sandbox="allow-same-origin"
            onLoad={mark}
          />
        ) : (
          <p className="loading">{t('loading')}</p>
        )}
        <table className="list">
          <thead>
            <tr>
              <th scope="col">{t('colLink')}</th>
              <th scope="col">{t('totalClicks')}</th>
              <th scope="col">{t('uniqueClicks')}</th>
              <th scope="col">{t('share')}</th>
              <th scope="col">{t('machineClicks')}</th>
            </tr>
          </thead>
          <tbody>
            {report.links.map((l) => (
              <tr key={l.linkId}>
                <th scope="row">
                  <a href={l.url} rel="noopener noreferrer" target="_blank">
                    {linkName(l, t)}
                  </a>
                </th>
                <td>{l.total}</td>
                <td>{l.unique}</td>
                <td>{formatShare(share(l.total), locale)}</td>
                <td>{l.machine}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
