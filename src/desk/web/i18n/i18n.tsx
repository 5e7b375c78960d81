import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import {
  type CatalogueKey,
  fill,
  firstLanguage,
  isCatalogueKey,
  LANGUAGES,
  type Language,
  wordingFor,
} from '../../../text/messages/catalogue.ts';
import { formatCount } from '../format.ts';
import en from './desk-words.en.json' with { type: 'json' };
import ja from './desk-words.ja.json' with { type: 'json' };
import ko from './desk-words.ko.json' with { type: 'json' };
import zh from './desk-words.zh.json' with { type: 'json' };

/** The UI's languages: those the message catalogue speaks. */
export const UI_LOCALES = LANGUAGES;
/** One of the UI's languages. */
export type UiLocale = Language;
/**
 * A key of the UI's own words (desk-words.en.json beside this file is the reference; ja, ko and zh have the
 * same keys) or of the message catalogue the server shares (`msg.`, `place.`, `field.`… in src/text/messages).
 */
export type MessageKey = keyof typeof en | CatalogueKey;
/**
 * A message that depends on a count: the files hold `<key>_one` and `<key>_other` (CLDR plural
 * categories; Japanese, Korean and Chinese use only `other`, and keep `_one` for the same keys).
 */
export type PluralKey = MessageKey extends infer K ? (K extends `${infer Base}_other` ? Base : never) : never;

const MESSAGES: Record<UiLocale, Record<keyof typeof en, string>> = { en, ja, ko, zh };

/** True for a key the UI's words or the catalogue hold. */
export function isMessageKey(key: string): key is MessageKey {
  return Object.hasOwn(en, key) || isCatalogueKey(key);
}

/** Translates a key with `{name}` values in the current language. */
export type Translate = (key: MessageKey, values?: Record<string, string | number>) => string;
const STORAGE_KEY = 'gazette.desk.locale';

interface I18n {
  locale: UiLocale;
  setLocale(locale: UiLocale): void;
  t: Translate;
  /** The message for count `n` in the language's plural form, with `{n}` the count formatted. */
  tn(key: PluralKey, n: number, values?: Record<string, string | number>): string;
}

/** `t` for one language: a key's words (English when the language lacks it) with `{name}` filled. */
export function translatorFor(locale: UiLocale): Translate {
  const words = wordingFor(locale);
  return (key, values) =>
    isCatalogueKey(key) ? words(key, values) : fill(MESSAGES[locale][key] ?? en[key], values);
}

/** A subscriber's status (`active`, `bounced`…) in words; a status the catalogue lacks as it is. */
export function statusWords(status: string, t: Translate): string {
  const key = `status.${status}`;
  return isMessageKey(key) ? t(key) : status;
}

const I18nContext = createContext<I18n | null>(null);

function initialLocale(): UiLocale {
  const saved = localStorage.getItem(STORAGE_KEY) as UiLocale | null;
  const locale = saved && UI_LOCALES.includes(saved) ? saved : firstLanguage(navigator.languages, 'en');
  // Set before the first render: the first API calls (see api/http.ts) already ask in this language.
  document.documentElement.lang = locale;
  return locale;
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
