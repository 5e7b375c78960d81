import { useId, useRef, useState } from 'react';
import type { Issue } from '../../../issue/schema.ts';
import type { SendReport } from '../../api/schemas.ts';
import { useEdition } from '../api/editions.ts';
import { useIssue } from '../api/issues.ts';
import { useDraftPreview } from '../api/previews.ts';
import { localeName } from '../editions/editions-panel.tsx';
import { formatShare } from '../format.ts';
import { useI18n } from '../i18n/i18n.tsx';
import { linkName } from './link-name.ts';
import { markShares, type ShareMark } from './mark-shares.ts';

/**
 * The issue itself (its preview, framed from the desk's own origin and as tall as the mail) with
 * each link's share of the clicks drawn on it, and the same figures as a table beside it, each link
 * named as a reader sees it, for screen readers and for links no longer in the issue. Shares are of
 * people's clicks; machines' clicks have a column of their own. A send of several editions lets the
 * editor pick the edition drawn: the map then shows the shares of that edition's readers on each link
 * (an article's link id is the same in every edition), and the table, which counts every edition
 * together, that edition's readers in a column of their own.
 */
export function ClickMap({ report }: { report: SendReport }) {
  const { t, locale } = useI18n();
  const pick = useId();
  const locales = Object.keys(report.editions);
  const [shown, setShown] = useState(locales[0] ?? '');
  const share = (n: number) => (report.totalClicks ? n / report.totalClicks : 0);
  const several = locales.length > 1;
  const own = report.editions[shown]?.links ?? {};
  const ownSum = Object.values(own).reduce((a, b) => a + b, 0);
  const marks = report.links.map((l) => ({
    url: l.url,
    label: formatShare(several ? (ownSum ? (own[l.linkId] ?? 0) / ownSum : 0) : share(l.total), locale),
  }));
  return (
    <section className="card click-map" aria-labelledby="clickmap-title">
      <h2 id="clickmap-title">{t('clickMap')}</h2>
      {several && (
        <>
          <div className="field">
            <label htmlFor={pick}>{t('clickMapEdition')}</label>
            <select id={pick} value={shown} onChange={(e) => setShown(e.target.value)}>
              {locales.map((l) => (
                <option key={l} value={l}>
                  {t(localeName(l))}
                </option>
              ))}
            </select>
          </div>
          <p className="hint">{t('clickMapEditionShares')}</p>
        </>
      )}
      <div className="click-map-columns">
        {shown === locales[0] ? (
          <DefaultFrame number={report.issue} marks={marks} />
        ) : (
          <EditionFrame key={shown} number={report.issue} locale={shown} marks={marks} />
        )}
        <table className="list">
          <thead>
            <tr>
              <th scope="col">{t('colLink')}</th>
              <th scope="col">{t('totalClicks')}</th>
              <th scope="col">{t('uniqueClicks')}</th>
              <th scope="col">{t('share')}</th>
              <th scope="col">{t('machineClicks')}</th>
              {several && <th scope="col">{t('editionReadersCol')}</th>}
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
                {several && <td>{own[l.linkId] ?? 0}</td>}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

/** The default edition, as the issue is now. */
function DefaultFrame({ number, marks }: { number: number; marks: ShareMark[] }) {
  const issue = useIssue(number);
  return <MarkedFrame number={number} issue={issue.data?.issue as Issue | undefined} marks={marks} />;
}

/** Another edition, as it is now. */
function EditionFrame({ number, locale, marks }: { number: number; locale: string; marks: ShareMark[] }) {
  const edition = useEdition(number, locale);
  return <MarkedFrame number={number} issue={edition.data?.issue as Issue | undefined} marks={marks} />;
}

/** The preview of `issue` with `marks` drawn on its links. */
function MarkedFrame({
  number,
  issue,
  marks,
}: {
  number: number;
  issue: Issue | undefined;
  marks: ShareMark[];
}) {
  const { t } = useI18n();
  const frame = useRef<HTMLIFrameElement>(null);
  const preview = useDraftPreview(number, issue as Issue, issue !== undefined);
  const mark = () => {
    const el = frame.current;
    const doc = el?.contentDocument;
    if (!el || !doc) return;
    markShares(doc, marks);
    el.style.height = `${doc.documentElement.scrollHeight + 2}px`;
  };
  return preview.data ? (
    <iframe
      ref={frame}
      title={t('clickMapFrame')}
      src={preview.data.html}
      sandbox="allow-same-origin"
      onLoad={mark}
    />
  ) : (
    <p className="loading">{t('loading')}</p>
  );
}
