import { useSends } from '../api/sends.ts';
import { ErrorLine } from '../error-line.tsx';
import { formatCount } from '../format.ts';
import { useI18n } from '../i18n/i18n.tsx';
import { Link } from '../router.tsx';
import { TableBox } from '../table-box.tsx';

/** The recent sends with their state and progress; each opens its live page and report. */
export function SendsPage() {
  const { t, locale } = useI18n();
  const sends = useSends();
  return (
    <section aria-labelledby="sends-title">
      <h1 id="sends-title">{t('sendsTitle')}</h1>
      <ErrorLine error={sends.error} />
      {sends.isPending && <p className="loading">{t('loading')}</p>}
      <TableBox labelledBy="sends-title">
        <table className="list">
          <thead>
            <tr>
              <th scope="col">{t('colSend')}</th>
              <th scope="col">{t('colState')}</th>
              <th scope="col">{t('delivered')}</th>
              <th scope="col">{t('total')}</th>
            </tr>
          </thead>
          <tbody>
            {(sends.data ?? []).map((s) => (
              <tr key={s.id}>
                <td>
                  <Link to={`/sends/${s.id}`}>{s.id}</Link>
                </td>
                <td>{t(`send_${s.state}`)}</td>
                <td>{formatCount(s.delivered, locale)}</td>
                <td>{formatCount(s.total, locale)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableBox>
    </section>
  );
}
