import en from '../../templates/locales/en.json' with { type: 'json' };
import ja from '../../templates/locales/ja.json' with { type: 'json' };
import ko from '../../templates/locales/ko.json' with { type: 'json' };
import type { Locale } from '../issue/schema.ts';

/** The subscriber-facing strings (pages and the confirmation mail) of one locale. */
export type PageStrings = typeof en.pages;

// Typed against the English file: a key missing from another locale is a type error.
const STRINGS: Record<Locale, PageStrings> = { ja: ja.pages, en: en.pages, ko: ko.pages };

/** The subscriber-facing strings for `locale`. */
export function pageStrings(locale: Locale): PageStrings {
  return STRINGS[locale];
}

/** Fills `{name}` placeholders (the composer's own); values are plain text, escaped on output. */
export { fill } from '../compose/strings.ts';
