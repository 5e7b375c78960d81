// The words of coded messages (checks, validation errors, refusals), of the places a JSON path names,
// and of the states and reasons they mention, in each language the desk and the CLI speak. The server,
// the CLI and the desk web app all word a code from here, so an editor reads the same sentence in the
// desk as `gazette validate --lang` prints; nothing here may need Node (vite bundles it for the browser).

import en from './messages.en.json' with { type: 'json' };
import ja from './messages.ja.json' with { type: 'json' };
import ko from './messages.ko.json' with { type: 'json' };
import zh from './messages.zh.json' with { type: 'json' };

/** The languages messages are worded in (the desk's UI languages). */
export const LANGUAGES = ['en', 'ja', 'ko', 'zh'] as const;
/** One of LANGUAGES. */
export type Language = (typeof LANGUAGES)[number];
/** A key of the catalogue (messages.en.json is the reference; ja, ko and zh have the same keys). */
export type CatalogueKey = keyof typeof en;
/** Words a catalogue key with `{name}` values in one language. */
export type Wording = (key: CatalogueKey, values?: Record<string, string | number>) => string;

const CATALOGUE: Record<Language, Record<CatalogueKey, string>> = { en, ja, ko, zh };

/** True for a key the catalogue holds: a code becomes a key only where it is worded. */
export function isCatalogueKey(key: string): key is CatalogueKey {
  return Object.hasOwn(en, key);
}

/** `message` with each `{name}` replaced by its value (unknown names left as they are). */
export function fill(message: string, values?: Record<string, string | number>): string {
  return message.replace(/\{(\w+)\}/g, (m, name: string) =>
    values && name in values ? String(values[name]) : m,
  );
}

/** `Wording` for one language. */
export function wordingFor(language: Language): Wording {
  return (key, values) => fill(CATALOGUE[language][key] ?? en[key], values);
}

/** The first of `tags` (BCP 47, best first: `ko-KR`, `ja`) that is one of LANGUAGES, else `fallback`. */
export function firstLanguage(tags: readonly string[], fallback: Language): Language {
  for (const tag of tags) {
    const base = tag.trim().toLowerCase().split('-')[0] as Language;
    if (LANGUAGES.includes(base)) return base;
  }
  return fallback;
}

/** The language an `Accept-Language` header asks for first (by its q-values), else `fallback`. */
export function acceptedLanguage(header: string | undefined, fallback: Language): Language {
  const ranked = (header ?? '')
    .split(',')
    .map((part, i) => {
      const [tag = '', ...rest] = part.split(';');
      const q = Number(/q=([\d.]+)/.exec(rest.join(';'))?.[1] ?? 1);
      return { tag: tag.trim(), q: Number.isFinite(q) ? q : 0, i };
    })
    .filter((t) => t.tag && t.q > 0)
    .sort((a, b) => b.q - a.q || a.i - b.i);
  return firstLanguage(
    ranked.map((t) => t.tag),
    fallback,
  );
}
