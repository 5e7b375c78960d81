import { useLists } from '../api/lists.ts';
import { useI18n } from '../i18n/i18n.tsx';

/** Checkboxes for the lists a person is on, each with its active count; `chosen` is the whole set. */
export function ListChoice({ chosen, onChange }: { chosen: string[]; onChange: (lists: string[]) => void }) {
  const { t } = useI18n();
  const lists = useLists();
  const toggle = (name: string, on: boolean) =>
    onChange(on ? [...chosen, name] : chosen.filter((l) => l !== name));
  return (
    <fieldset className="list-choice">
      <legend>{t('lists')}</legend>
      {(lists.data ?? []).map((l) => (
        <label key={l.name} className="check">
          <input
            type="checkbox"
            checked={chosen.includes(l.name)}
            onChange={(e) => toggle(l.name, e.target.checked)}
          />
          {t('listWithCount', { list: l.name, n: l.active })}
        </label>
      ))}
    </fieldset>
  );
}
