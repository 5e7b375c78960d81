import { useId, useState } from 'react';
import type { Issue } from '../../../issue/schema.ts';
import { useI18n } from '../i18n/i18n.tsx';

/** The issue as JSON for power users; a change applies once it parses, else the parse error shows. */
export function JsonView({ draft, onChange }: { draft: Issue; onChange(next: Issue): void }) {
  const { t } = useI18n();
  const id = useId();
  const [text, setText] = useState(() => JSON.stringify(draft, null, 2));
  const [error, setError] = useState<string | null>(null);
  return (
    <div className="field json-view">
      <label htmlFor={id}>{t('jsonView')}</label>
      <textarea
        id={id}
        spellCheck={false}
        rows={30}
        value={text}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-err` : undefined}
        onChange={(e) => {
          setText(e.target.value);
          try {
            onChange(JSON.parse(e.target.value) as Issue);
            setError(null);
          } catch (err) {
            setError((err as Error).message);
          }
        }}
      />
      {error && (
        <small id={`${id}-err`} className="field-error">
          {t('jsonInvalid', { detail: error })}
        </small>
      )}
    </div>
  );
}
