import { UI_LOCALES, type UiLocale, useI18n } from './i18n/i18n.tsx';

const NAMES: Record<UiLocale, string> = { en: 'English', ja: '日本語', ko: '한국어', zh: '中文' };

/** A labelled select that switches the UI language at once. */
export function LocaleSwitch() {
  const { locale, setLocale, t } = useI18n();
  return (
    <label className="locale">
      <span>{t('language')}</span>
      <select value={locale} onChange={(e) => setLocale(e.target.value as UiLocale)}>
        {UI_LOCALES.map((l) => (
          <option key={l} value={l} lang={l}>
            {NAMES[l]}
          </option>
        ))}
      </select>
    </label>
  );
}
