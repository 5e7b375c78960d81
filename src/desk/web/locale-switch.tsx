import { LOCALE_NAMES } from '../../issue/schema.ts';
import { UI_LOCALES, type UiLocale, useI18n } from './i18n/i18n.tsx';

/** A labelled select that switches the UI language at once. */
export function LocaleSwitch() {
  const { locale, setLocale, t } = useI18n();
  return (
    <label className="locale">
      <span>{t('language')}</span>
      <select value={locale} onChange={(e) => setLocale(e.target.value as UiLocale)}>
        {UI_LOCALES.map((l) => (
          <option key={l} value={l} lang={l}>
            {LOCALE_NAMES[l]}
          </option>
        ))}
      </select>
    </label>
  );
}
