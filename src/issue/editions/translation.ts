import { formatPath } from '../schema.ts';

/**
 * Keys whose strings are the same in every edition (links, images, ids, dates, contact details): an
 * edition copies them from the default edition and a translator leaves them; every other string of
 * an issue is text to translate.
 */
const SHARED_KEYS = new Set(['id', 'url', 'src', 'month', 'locale', 'date', 'email', 'phone']);

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * A new edition of `base` (the default edition's JSON) in `locale`: the same structure, article
 * ids, links and images, every text empty for the translator to write.
 */
export function blankEdition(base: unknown, locale: string): Record<string, unknown> {
  const blank = (v: unknown, key: string | number): unknown => {
    if (typeof v === 'string') return typeof key === 'string' && SHARED_KEYS.has(key) ? v : '';
    if (Array.isArray(v)) return v.map((item, i) => blank(item, typeof key === 'string' ? i : key));
    if (isRecord(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, blank(x, k)]));
    return v;
  };
  return { ...(blank(base, '') as Record<string, unknown>), locale };
}

/** One text of an issue's JSON: where it is (as keys, and as `validate` writes the path) and its words. */
export interface TextEntry {
  keys: (string | number)[];
  path: string;
  text: string;
}

/** Every text of an issue's JSON (its shared strings left out), in file order. */
export function textEntries(json: unknown): TextEntry[] {
  const out: TextEntry[] = [];
  const walk = (v: unknown, keys: (string | number)[], shared: boolean) => {
    if (typeof v === 'string') {
      if (!shared) out.push({ keys, path: formatPath(keys), text: v });
    } else if (Array.isArray(v)) {
      for (const [i, x] of v.entries()) walk(x, [...keys, i], shared);
    } else if (isRecord(v)) {
      for (const [k, x] of Object.entries(v)) walk(x, [...keys, k], SHARED_KEYS.has(k));
    }
  };
  walk(json, [], false);
  return out;
}

/** Every text of an issue's JSON by JSON path. */
export function textsOf(json: unknown): Map<string, string> {
  return new Map(textEntries(json).map((e) => [e.path, e.text]));
}

/**
 * The paths of the texts an edition has still to translate: written in the default edition, empty
 * (or absent) in the edition. Articles the edition leaves out are not counted (see editionIdProblems).
 */
export function untranslatedPaths(base: unknown, edition: unknown): string[] {
  const mine = textsOf(edition);
  const own = textsOf(base);
  return [...own]
    .filter(([path, text]) => text.trim() !== '' && !(mine.get(path) ?? '').trim())
    .map(([path]) => path)
    .filter((path) => sameArticleAt(base, edition, path));
}

/** Whether the article a path lies in (if any) has the same id in both editions. */
function sameArticleAt(base: unknown, edition: unknown, path: string): boolean {
  const at = /^(lead|sections\[\d+\]\.articles\[\d+\])/.exec(path)?.[1];
  if (!at) return true;
  return articleIds(base).get(at) === articleIds(edition).get(at);
}

/** Every article's id by the JSON path of the article (`lead`, `sections[0].articles[1]`). */
export function articleIds(json: unknown): Map<string, string> {
  const out = new Map<string, string>();
  if (!isRecord(json)) return out;
  if (isRecord(json.lead) && typeof json.lead.id === 'string') out.set('lead', json.lead.id);
  const sections = Array.isArray(json.sections) ? json.sections : [];
  sections.forEach((s, si) => {
    const articles = isRecord(s) && Array.isArray(s.articles) ? s.articles : [];
    articles.forEach((a, ai) => {
      if (isRecord(a) && typeof a.id === 'string') out.set(`sections[${si}].articles[${ai}]`, a.id);
    });
  });
  return out;
}
