import type { MessageParams } from '../../api/schemas.ts';
import { isMessageKey, type Translate } from './i18n.tsx';
import { pathLabel } from './path-label.ts';

/** A message as the server sends it: a code, its values, and the English words to fall back on. */
export interface CodedMessage {
  code: string;
  params: MessageParams;
  message: string;
}

/**
 * The sentence for a coded message in the UI's language (`msg.<code>`): a value named `…Path` is
 * worded as a place, a value with words of its own (`reason.timeout`) as those words. A code the
 * desk does not word yet shows the server's English message.
 */
export function messageText(m: CodedMessage, t: Translate): string {
  const key = `msg.${m.code}`;
  if (!isMessageKey(key)) return m.message;
  const values: Record<string, string | number> = {};
  for (const [name, value] of Object.entries(m.params ?? {})) {
    const own = `${name}.${value}`;
    if (name.endsWith('Path')) values[name] = pathLabel(String(value), t);
    else values[name] = isMessageKey(own) ? t(own) : value;
  }
  return t(key, values);
}
