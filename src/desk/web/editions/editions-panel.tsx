import type { EditionSummary } from '../api/editions.ts';
import { useAddEdition } from '../api/editions.ts';
import { ErrorLine } from '../error-line.tsx';
import { type MessageKey, useI18n } from '../i18n/i18n.tsx';
import { Link, navigate } from '../router.tsx';
import { StateBadge } from '../state-badge.tsx';

/** A locale's name in the UI's language (`locale_en` → "English"). */
export const localeName = (locale: string): MessageKey => `locale_${locale}` as MessageKey;

/**
 * The editions of an issue, each with its state (missing, draft, in review, approved…): the default
 * edition is the page it sits on, a translation links to its translator's view, a missing one can be
 * added (the default edition's structure, every text to write).
 */
export function EditionsPanel({ number, editions }: { number: number; editions: EditionSummary[] }) {
  const { t } = useI18n();
  const add = useAddEdition(number);
  return (
    <section className="editions" aria-labelledby="editions-title">
      <h2 id="editions-title">{t('editions')}</h2>
      <ul>
        {editions.map((e, i) => (
          <li key={e.locale} data-locale={e.locale}>
            {i === 0 || e.state === 'missing' ? (
              <span>{t(localeName(e.locale))}</span>
            ) : (
              <Link to={`/issues/${number}/editions/${e.locale}`}>{t(localeName(e.locale))}</Link>
            )}{' '}
            {i === 0 && <span className="hint">{t('editionDefault')}</span>}{' '}
            {e.state === 'missing' ? (
              <>
                <span className="badge badge-missing">{t('editionMissing')}</span>{' '}
                <button
                  type="button"
                  disabled={add.isPending}
                  onClick={() =>
                    add.mutate(e.locale, {
                      onSuccess: () => navigate(`/issues/${number}/editions/${e.locale}`),
                    })
                  }
                >
                  {t('addEdition', { language: t(localeName(e.locale)) })}
                </button>
              </>
            ) : (
              <StateBadge state={e.state} />
            )}
          </li>
        ))}
      </ul>
      <ErrorLine error={add.error} />
    </section>
  );
}
