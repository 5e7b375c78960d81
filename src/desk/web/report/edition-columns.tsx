import type { SendReport } from '../../api/schemas.ts';
import { localeName } from '../editions/editions-panel.tsx';
import { formatCount, formatShare } from '../format.ts';
import { useI18n } from '../i18n/i18n.tsx';

/**
 * The editions of a send side by side, one card each (in send order, the default edition first;
 * they wrap under each other on a phone), each with its own outcome and click figures. A send of
 * one edition has nothing to set side by side: the page's figures are that edition's.
 */
export function EditionColumns({ editions }: { editions: SendReport['editions'] }) {
  const { t, locale } = useI18n();
  const entries = Object.entries(editions);
  if (entries.length < 2) return null;
  return (
    <section className="card" aria-labelledby="report-editions-title">
      <h2 id="report-editions-title">{t('editions')}</h2>
      <div className="edition-columns">
        {entries.map(([l, e]) => (
          <section key={l} className="edition-column" data-locale={l} aria-labelledby={`report-edition-${l}`}>
            <h3 id={`report-edition-${l}`}>{t(localeName(l))}</h3>
            <dl className="figures">
              <div>
                <dt>{t('delivered')}</dt>
                <dd>{formatCount(e.delivered, locale)}</dd>
              </div>
              <div>
                <dt>{t('failed')}</dt>
                <dd>{formatCount(e.failed, locale)}</dd>
              </div>
              <div>
                <dt>{t('bounced')}</dt>
                <dd>{formatCount(e.bounced, locale)}</dd>
              </div>
              <div>
                <dt>{t('uniqueClicks')}</dt>
                <dd>{formatCount(e.uniqueClicks, locale)}</dd>
              </div>
              <div>
                <dt>{t('clickRate')}</dt>
                <dd>{formatShare(e.clickRate, locale)}</dd>
              </div>
            </dl>
          </section>
        ))}
      </div>
    </section>
  );
}
