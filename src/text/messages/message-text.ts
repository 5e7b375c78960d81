import { isCatalogueKey, type Wording } from './catalogue.ts';
import { pathLabel } from './path-label.ts';

/** A message as a code, its values, and the words to fall back on for a code not worded yet. */
export interface CodedMessage {
  code: string;
  params: Record<string, string | number>;
  message: string;
}

/**
 * The sentence for a coded message in `t`'s language (`msg.<code>`): a value named `…Path` is worded
 * as a place, a value with words of its own (`reason.timeout`, `status.bounced`) as those words. A code
 * the catalogue does not word yet keeps its `message`.
 */
export function messageText(m: CodedMessage, t: Wording): string {
  const key = `msg.${m.code}`;
  if (!isCatalogueKey(key)) return m.message;
  const values: Record<string, string | number> = {};
  for (const [name, value] of Object.entries(m.params ?? {})) {
    const own = `${name}.${value}`;
    if (name.endsWith('Path')) values[name] = pathLabel(String(value), t);
    else values[name] = isCatalogueKey(own) ? t(own) : value;
  }
  return t(key, values);
}

/** A message about one place, the place first: 「セクション1・記事1のタイトル：入力してください」. */
export function placedText(m: CodedMessage & { path?: string | undefined }, t: Wording): string {
  const text = messageText(m, t);
  return m.path ? t('place.message', { place: pathLabel(m.path, t), message: text }) : text;
}
