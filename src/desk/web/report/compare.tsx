import { useQueries } from '@tanstack/react-query';
import type { SendReport } from '../../api/schemas.ts';
import { api } from '../api/http.ts';
import { useSends } from '../api/sends.ts';
import { formatCount, formatShare } from '../format.ts';
import { useI18n } from '../i18n/i18n.tsx';
import { TableBox } from '../table-box.tsx';

/** The last five finished sends (tests never) side by side: delivered, readers who clicked, click rate, unsubscribes. */
export function Compare() {
  const { t, locale } = useI18n();
  const sends = (useSends().data ?? []).filter((s) => s.state === 'done' && !s.test).slice(0, 5);
  const reports = useQueries({
    queries: sends.map((s) => ({
      queryKey: ['sends', s.id, 'report'],
      queryFn: () => api<SendReport>(`/sends/${s.id}/report`),
    })),
  });
  const rows = reports.flatMap((r) => (r.data ? [r.data] : []));
  if (rows.length < 2) return null;
  return (
    <section className="card" aria-labelledby="compare-title">
      <h2 id="compare-title">{t('compareTitle')}</h2>
      <TableBox labelledBy="compare-title">
        <table className="list">
          <thead>
            <tr>
              <th scope="col">{t('colNumber')}</th>
              <th scope="col">{t('delivered')}</th>
              <th scope="col">{t('uniqueClicks')}</th>
              <th scope="col">{t('clickRate')}</th>
              <th scope="col">{t('unsubscribed')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.id}>
                <th scope="row">No.{r.issue}</th>
                <td>{formatCount(r.delivered, locale)}</td>
                <td>{formatCount(r.uniqueClicks, locale)}</td>
                <td>{formatShare(r.clickRate, locale)}</td>
                <td>{formatCount(r.unsubscribed, locale)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableBox>
    </section>
  );
}
