import { useId } from 'react';
import { formatPath } from '../../../issue/schema.ts';
import { type DraftApi, getIn, type Path } from './draft.ts';

interface FieldProps {
  d: DraftApi;
  path: Path;
  label: string;
  multiline?: boolean;
  type?: 'text' | 'url' | 'email' | 'date' | 'number' | 'month';
  hint?: string;
  /** A finding that does not block saving (e.g. an empty alt text), shown at the field. */
  warning?: string | undefined;
  required?: boolean;
}

/**
 * One labelled input bound to a place in the draft, with that place's validation error beside it in
 * `gazette validate`'s words (and a warning that does not block saving). An emptied optional field is
 * removed rather than kept as "".
 */
export function Field({ d, path, label, multiline, type = 'text', hint, warning, required }: FieldProps) {
  const id = useId();
  const key = formatPath(path);
  const error = d.errors.get(key);
  const raw = getIn(d.draft, path);
  const value = raw === undefined || raw === null ? '' : String(raw);
  const set = (v: string) => {
    if (type === 'number') d.update(path, v === '' ? undefined : Number(v));
    else d.update(path, v === '' && !required ? undefined : v);
  };
  const common = {
    id,
    name: key,
    value,
    'aria-invalid': error ? true : undefined,
    'aria-describedby':
      [error && `${id}-err`, warning && `${id}-warn`, hint && `${id}-hint`].filter(Boolean).join(' ') ||
      undefined,
    required,
  };
  return (
    <div className={`field${error ? ' invalid' : ''}`}>
      <label htmlFor={id}>{label}</label>
      {multiline ? (
        <textarea {...common} rows={3} onChange={(e) => set(e.target.value)} />
      ) : (
        <input {...common} type={type} onChange={(e) => set(e.target.value)} />
      )}
      {hint && (
        <small id={`${id}-hint`} className="hint">
          {hint}
        </small>
      )}
      {error && (
        <small id={`${id}-err`} className="field-error">
          {key}: {error}
        </small>
      )}
      {warning && (
        <small id={`${id}-warn`} className="field-warning">
          {warning}
        </small>
      )}
    </div>
  );
}

/** Paragraphs edited as one text area, a blank line between two paragraphs. */
export function ParagraphsField({ d, path, label }: { d: DraftApi; path: Path; label: string }) {
  const id = useId();
  const key = formatPath(path);
  const paragraphs = (getIn(d.draft, path) as string[] | undefined) ?? [];
  const error = d.errors.get(key) ?? paragraphs.map((_, i) => d.errors.get(`${key}[${i}]`)).find(Boolean);
  return (
    <div className={`field${error ? ' invalid' : ''}`}>
      <label htmlFor={id}>{label}</label>
      <textarea
        id={id}
        name={key}
        rows={4}
        value={paragraphs.join('\n\n')}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-err` : undefined}
        onChange={(e) => d.update(path, e.target.value.split(/\n\s*\n/))}
      />
      {error && (
        <small id={`${id}-err`} className="field-error">
          {key}: {error}
        </small>
      )}
    </div>
  );
}
