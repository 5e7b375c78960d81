import { isCatalogueKey, type Wording } from './catalogue.ts';

/** Parts of an issue that hold fields, each worded with its number when it is one of a list. */
const PLACES: Record<string, string> = {
  lead: 'place.lead',
  photo: 'place.photo',
  masthead: 'place.masthead',
  ranking: 'place.ranking',
  footer: 'place.footer',
  contact: 'place.contact',
  image: 'place.image',
};
const LISTED_PLACES: Record<string, string> = {
  sections: 'place.section',
  articles: 'place.article',
  items: 'place.item',
  links: 'place.link',
};

/** A field's name in words (`field.<name>`), the name itself for one the catalogue does not word. */
function fieldWords(name: string, t: Wording, index?: number): string {
  const key = `field.${name}`;
  const words = isCatalogueKey(key) ? t(key) : name;
  return index === undefined ? words : t('place.nth', { what: words, n: index + 1 });
}

/** The places and the field a JSON path names, in words: ["セクション1", "記事4"] and "タイトル". */
function pathParts(path: string, t: Wording): { places: string[]; field?: string } {
  const keys = path.match(/[^.[\]]+/g) ?? [];
  const places: string[] = [];
  let field: string | undefined;
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i] as string;
    const next = keys[i + 1];
    const index = next !== undefined && /^\d+$/.test(next) ? Number(next) : undefined;
    if (index !== undefined) i++;
    const listed = LISTED_PLACES[key];
    const place = PLACES[key];
    if (listed && index !== undefined && isCatalogueKey(listed)) places.push(t(listed, { n: index + 1 }));
    else if (place && isCatalogueKey(place)) places.push(t(place));
    else field = field === undefined ? fieldWords(key, t, index) : `${field} ${fieldWords(key, t, index)}`;
  }
  return field === undefined ? { places } : { places, field };
}

/** The words of places and fields, "セクション1・記事4のタイトル、リンク"; the first letter upper-case. */
function joinWords(places: string[], fields: string[], t: Wording): string {
  const where = places.join(t('place.sep'));
  const field = fields.join(t('place.and'));
  const words = where && field ? t('place.field', { where, field }) : where || field;
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/**
 * A JSON path as a person reads it in `t`'s language: `sections[0].articles[3].title` is
 * 「セクション1・記事4のタイトル」, "Section 1, article 4: title", "섹션 1 · 기사 4의 제목".
 */
export function pathLabel(path: string, t: Wording): string {
  const { places, field } = pathParts(path, t);
  return joinWords(places, field === undefined ? [] : [field], t);
}

/** Several fields of one place (`lead` and `title`, `url`) in words: 「リード記事のタイトル、リンク」. */
export function fieldsLabel(place: string, fields: string[], t: Wording): string {
  const words = fields.map((f) => {
    const parts = pathParts(f, t);
    return [...parts.places, ...(parts.field === undefined ? [] : [parts.field])].join(t('place.inner'));
  });
  return joinWords(pathParts(place, t).places, words, t);
}
