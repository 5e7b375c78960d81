import { formatPath } from './schema.ts';

/** Marks text `gazette new` left for the editor to write; `validate` refuses an issue that still has one. */
export const PLACEHOLDER_MARK = '[[TODO]]';

/** The JSON path of every string in `data` that still holds the placeholder mark, in file order. */
export function placeholderPaths(data: unknown, path: (string | number)[] = []): string[] {
  if (typeof data === 'string') return data.includes(PLACEHOLDER_MARK) ? [formatPath(path)] : [];
  if (Array.isArray(data)) return data.flatMap((v, i) => placeholderPaths(v, [...path, i]));
  if (data && typeof data === 'object') {
    return Object.entries(data).flatMap(([k, v]) => placeholderPaths(v, [...path, k]));
  }
  return [];
}
