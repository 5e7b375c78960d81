import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import { formatCount } from '../format.ts';
import en from './en.json' with { type: 'json' };
import ja from './ja.json' with { type: 'json' };
import ko from './ko.json' with { type: 'json' };
import zh from './zh.json' with { type: 'json' };

/** The UI's languages. */
export const UI_LOCALES = ['en', 'ja', 'ko', 'zh'] as const;
/** One of the UI's languages. */
export type UiLocale = (typeof UI_LOCALES)[number];
/** A key of the locale files (en.json is the reference; ja, ko and zh have the same keys). */
export type MessageKey = keyof typeof en;
/**
 * A message that depends on a count: the files hold `<key>_one` and `<key>_other` (CLDR plural
 * categories; Japanese, Korean and Chinese use only `other`, and keep `_one` for the same keys).
 */
export type PluralKey = MessageKey extends infer K ? (K extends `${infer Base}_other` ? Base : never) : never;

const MESSAGES: Record<UiLocale, Record<MessageKey, string>> = { en, ja, ko, zh };

/** True for a key the locale files hold: codes from the server become keys only when the desk words them. */
export function isMessageKey(key: string): key is MessageKey {
  return Object.hasOwn(en, key);
}

/** Translates a key with `{name}` values in the current language. */
export type Translate = (key: MessageKey, values?: Record<string, string | number>) => string;
const STORAGE_KEY = 'gazette.desk.locale';

/** The first of the browser's languages that the desk speaks, else English. */
export function browserLocale(languages: readonly string[]): UiLocale {
  for (const tag of languages) {
    const base = tag.toLowerCase().split('-')[0] as UiLocale;
    if (UI_LOCALES.includes(base)) return base;
  }
  return 'en';
}

interface I18n {
  locale: UiLocale;
  setLocale(locale: UiLocale): void;
  t: Translate;
  /** The message for count `n` in the language's plural form, with `{n}` the count formatted. */
  tn(key: PluralKey, n: number, values?: Record<string, string | number>): string;
}

/** `message` with each `{name}` replaced by its value (unknown names left as they are). */
function fill(message: string, values?: Record<string, string | number>): string {
  return message.replace(/\{(\w+)\}/g, (m, name: string) =>
    values && name in values ? String(values[name]) : m,
  );
}

/** `t` for one language: a key's words (English when the language lacks it) with `{name}` filled. */
export function translatorFor(locale: UiLocale): Translate {
  return (key, values) => fill(MESSAGES[locale][key] ?? en[key], values);
}

const I18nContext = createContext<I18n | null>(null);

function initialLocale(): UiLocale {
  const saved = localStorage.getItem(STORAGE_KEY) as UiLocale | null;
  return saved && UI_LOCALES.includes(saved) ? saved : browserLocale(navigator.languages);
}

/** Provides the UI language: the one chosen before, else the browser's. */
export function I18nProvider({ children }: { children: ReactNode }) {
  const [locale, setState] = useState<UiLocale>(initialLocale);
  useEffect(() => {
    document.documentElement.lang = locale;
  }, [locale]);
  const setLocale = useCallback((next: UiLocale) => {
    localStorage.setItem(STORAGE_KEY, next);
    setState(next);
  }, []);
  const value = useMemo<I18n>(() => {
    const t = translatorFor(locale);
    const plural = new Intl.PluralRules(locale);
    const tn = (key: PluralKey, n: number, values?: Record<string, string | number>) => {
      const form = `${key}_${plural.select(n)}`;
      const chosen = (form in en ? form : `${key}_other`) as MessageKey;
      return t(chosen, { n: formatCount(n, locale), ...values });
    };
    return { locale, setLocale, t, tn };
  }, [locale, setLocale]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

/** The current language, its switch, and `t` to translate a key with `{name}` values. */
export function useI18n(): I18n {
  const i18n = useContext(I18nContext);
  if (!i18n) throw new Error('useI18n outside I18nProvider');
  return i18n;
}
