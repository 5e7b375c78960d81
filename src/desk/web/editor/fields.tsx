import { useId } from 'react';
import { isPlaceholder, PLACEHOLDER_LINK, PLACEHOLDER_MARK } from '../../../issue/drafts/placeholder-mark.ts';
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
  /**
   * The grey hint of a field still to be written. With it, a value holding the `[[TODO]]` mark shows as
   * an empty field, and emptying the field stores the mark again: the draft still saves, and the checks
   * still list it as missing (issue 18).
   */
  placeholder?: string;
  /** An emptied field keeps "" (an image's alt text: empty on purpose for a decorative image). */
  keepEmpty?: boolean;
}

/** What an emptied field that must be written stores: the mark, in a form the schema's rule passes. */
const unwritten = (type: FieldProps['type']) => (type === 'url' ? PLACEHOLDER_LINK : PLACEHOLDER_MARK);

/**
 * One labelled input bound to a place in the draft, with that place's validation error beside it in
 * `gazette validate`'s words (and a warning that does not block saving). An emptied optional field is
 * removed rather than kept as "".
 */
export function Field({
  d,
  path,
  label,
  multiline,
  type = 'text',
  hint,
  warning,
  required,
  placeholder,
  keepEmpty,
}: FieldProps) {
  const id = useId();
  const key = formatPath(path);
  const error = d.errors.get(key);
  const raw = getIn(d.draft, path);
  const value = raw === undefined || raw === null || (placeholder && isPlaceholder(raw)) ? '' : String(raw);
  const set = (v: string) => {
    if (type === 'number') d.update(path, v === '' ? undefined : Number(v));
    else if (v === '' && keepEmpty) d.update(path, '');
    else if (v === '' && placeholder && required) d.update(path, unwritten(type));
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
    placeholder,
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

/**
 * Paragraphs edited as one text area, a blank line between two paragraphs; paragraphs still to be
 * written show as an empty area with `placeholder`, and an emptied area stores one such paragraph.
 */
export function ParagraphsField({
  d,
  path,
  label,
  placeholder,
}: {
  d: DraftApi;
  path: Path;
  label: string;
  placeholder: string;
}) {
  const id = useId();
  const key = formatPath(path);
  const paragraphs = ((getIn(d.draft, path) as string[] | undefined) ?? []).filter((p) => !isPlaceholder(p));
  const error = d.errors.get(key) ?? paragraphs.map((_, i) => d.errors.get(`${key}[${i}]`)).find(Boolean);
  return (
    <div className={`field${error ? ' invalid' : ''}`}>
      <label htmlFor={id}>{label}</label>
      <textarea
        id={id}
        name={key}
        rows={4}
        value={paragraphs.join('\n\n')}
        placeholder={placeholder}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-err` : undefined}
        onChange={(e) =>
          d.update(path, e.target.value === '' ? [PLACEHOLDER_MARK] : e.target.value.split(/\n\s*\n/))
        }
      />
      {error && (
        <small id={`${id}-err`} className="field-error">
          {key}: {error}
        </small>
      )}
    </div>
  );
}
