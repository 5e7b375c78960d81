import { useI18n } from '../i18n/i18n.tsx';
import { type DraftApi, getIn, type Path } from './draft.ts';

/** Move up, move down and remove (after asking) for item `index` of the array at `path`; each button names its item. */
export function ListControls({
  d,
  path,
  index,
  name,
}: {
  d: DraftApi;
  path: Path;
  index: number;
  name: string;
}) {
  const { t } = useI18n();
  const items = (getIn(d.draft, path) as unknown[] | undefined) ?? [];
  const move = (to: number) => {
    const next = [...items];
    const [item] = next.splice(index, 1);
    next.splice(to, 0, item);
    d.update(path, next);
  };
  return (
    <div className="list-controls">
      <button type="button" disabled={index === 0} onClick={() => move(index - 1)}>
        {t('moveUp')}
        <span className="sr-only"> {name}</span>
      </button>
      <button type="button" disabled={index === items.length - 1} onClick={() => move(index + 1)}>
        {t('moveDown')}
        <span className="sr-only"> {name}</span>
      </button>
      <button
        type="button"
        className="danger"
        onClick={() => {
          // A removed section takes its articles with it: ask first (issue 18).
          if (!window.confirm(t('confirmRemove', { name: name || `${index + 1}` }))) return;
          d.update(
            path,
            items.filter((_, i) => i !== index),
          );
        }}
      >
        {t('remove')}
        <span className="sr-only"> {name}</span>
      </button>
    </div>
  );
}
