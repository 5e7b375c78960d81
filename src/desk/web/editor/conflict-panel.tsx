import type { Issue } from '../../../issue/schema.ts';
import { useI18n } from '../i18n/i18n.tsx';
import { differences } from './draft.ts';

const show = (v: unknown) => (v === undefined ? '—' : typeof v === 'string' ? v : JSON.stringify(v));

/** Someone saved in between: what differs between my draft and theirs, and the two ways out. */
export function ConflictPanel(props: {
  mine: Issue;
  theirs: Issue;
  revision: number;
  onKeepMine(): void;
  onTakeTheirs(): void;
}) {
  const { t } = useI18n();
  const rows = differences(props.mine, props.theirs);
  return (
    <section className="conflict" role="alertdialog" aria-labelledby="conflict-title">
      <h2 id="conflict-title">{t('conflictTitle', { revision: props.revision })}</h2>
      <p>{t('conflictText')}</p>
      <table className="diff">
        <thead>
          <tr>
            <th scope="col">{t('field')}</th>
            <th scope="col">{t('mine')}</th>
            <th scope="col">{t('theirs')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map(([path, mine, theirs]) => (
            <tr key={path}>
              <th scope="row">{path}</th>
              <td>{show(mine)}</td>
              <td>{show(theirs)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="actions">
        <button type="button" className="primary" onClick={props.onKeepMine}>
          {t('keepMine')}
        </button>
        <button type="button" onClick={props.onTakeTheirs}>
          {t('takeTheirs')}
        </button>
      </div>
    </section>
  );
}
