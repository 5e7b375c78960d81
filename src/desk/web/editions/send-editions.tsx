import type { EditionSummary } from '../api/editions.ts';
import { useI18n } from '../i18n/i18n.tsx';
import { localeName } from './editions-panel.tsx';

/** States in which an edition goes with the send (as the API decides: approved, or already going out). */
const GOING = new Set(['approved', 'scheduled', 'sent']);

/** Which editions the send takes (approved ones) and which it leaves out, before the sender confirms. */
export function SendEditions({ editions }: { editions: EditionSummary[] }) {
  const { t } = useI18n();
  const names = (list: EditionSummary[]) => list.map((e) => t(localeName(e.locale))).join(', ');
  const existing = editions.filter((e) => e.state !== 'missing');
  const going = existing.filter((e) => GOING.has(e.state));
  const leftOut = existing.filter((e) => !GOING.has(e.state));
  // Without a second edition, or while the default edition is not approved (nothing goes), nothing to say.
  if (existing.length < 2 || !GOING.has(editions[0]?.state ?? '')) return null;
  return (
    <div className="send-editions">
      <p data-testid="editions-going">{t('sendEditionsGoing', { languages: names(going) })}</p>
      {leftOut.length > 0 && (
        <p data-testid="editions-left-out" className="field-warning">
          {t('sendEditionsLeftOut', { languages: names(leftOut) })}
        </p>
      )}
    </div>
  );
}
