import { LOCALES } from '../../../issue/schema.ts';
import { useI18n } from '../i18n/i18n.tsx';

/** The locale a person reads their mail in (the locales). */
export function LocaleSelect({ value, onChange }: { value: string; onChange: (locale: string) => void }) {
  const { t } = useI18n();
  return (
    <label>
      <span>{t('colLocale')}</span>
      <select value={value} onChange={(e) => onChange(e.target.value)}>
        {LOCALES.map((l) => (
          <option key={l} value={l}>
            {t(`locale_${l}`)}
          </option>
        ))}
      </select>
    </label>
  );
}
