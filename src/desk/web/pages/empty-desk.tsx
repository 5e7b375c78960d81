import { useId, useState } from 'react';
import type { ImportedIssuesAnswer } from '../../api/schemas.ts';
import { useCreateBlank, type useImportIssueFiles } from '../api/issues.ts';
import { ErrorLine } from '../error-line.tsx';
import { useI18n } from '../i18n/i18n.tsx';
import { navigate } from '../router.tsx';

/**
 * A desk without a single issue says how to start: a first issue from the clean template, the issue
 * files the server can see, or the docs (issue 18: a fresh desk once said only "no issues").
 */
export function EmptyDesk({ imports }: { imports: ReturnType<typeof useImportIssueFiles> }) {
  const { t } = useI18n();
  const create = useCreateBlank();
  const [number, setNumber] = useState('1');
  const numberId = useId();
  const valid = /^[1-9]\d{0,8}$/.test(number);
  return (
    <section className="empty-desk" aria-labelledby="start-title">
      <h2 id="start-title">{t('startTitle')}</h2>
      <p>{t('startIntro')}</p>
      <div className="start-choices">
        <form
          className="card"
          aria-labelledby="start-blank"
          onSubmit={(e) => {
            e.preventDefault();
            if (valid) create.mutate(Number(number), { onSuccess: (r) => navigate(`/issues/${r.number}`) });
          }}
        >
          <h3 id="start-blank">{t('startBlankTitle')}</h3>
          <p>{t('startBlankText')}</p>
          <div className="field">
            <label htmlFor={numberId}>{t('startNumber')}</label>
            <input
              id={numberId}
              inputMode="numeric"
              value={number}
              aria-invalid={valid ? undefined : true}
              onChange={(e) => setNumber(e.target.value.trim())}
            />
          </div>
          <button type="submit" className="primary" disabled={!valid || create.isPending}>
            {create.isPending ? t('creating') : t('startBlank')}
          </button>
          <ErrorLine error={create.error} />
        </form>
        <div className="card">
          <h3 id="start-import">{t('startImportTitle')}</h3>
          <p>{t('startImportText')}</p>
          <button type="button" disabled={imports.isPending} onClick={() => imports.mutate()}>
            {imports.isPending ? t('importingFiles') : t('importFiles')}
          </button>
        </div>
        <div className="card">
          <h3 id="start-docs">{t('startDocsTitle')}</h3>
          <p>{t('startDocsText')}</p>
          <a href="/desk/api/docs">{t('startDocsLink')}</a>
        </div>
      </div>
    </section>
  );
}

/** What an import of the issue files did: the issues stored, and each file left with its reason. */
export function ImportSummary({ result }: { result: ImportedIssuesAnswer }) {
  const { t, tn } = useI18n();
  // An edition in another language shares its number: each number once.
  const numbers = [...new Set(result.imported.map((i) => `No.${i.number}`))];
  return (
    <div role="status" className="import-summary">
      <p>
        {result.imported.length > 0
          ? tn('importedFiles', result.imported.length, { numbers: numbers.join(', ') })
          : t('importedNone')}
      </p>
      {result.skipped.length > 0 && (
        <ul>
          {result.skipped.map((s) => (
            <li key={s.file}>
              {s.code === 'exists'
                ? t('importSkippedExists', { file: s.file })
                : t('importSkippedInvalid', { file: s.file, why: s.message })}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
