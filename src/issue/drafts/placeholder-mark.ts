// The mark alone, without the schema: the desk's app shell (the issues list) checks subjects for it
// and must not load zod to do so.

/** Marks text `gazette new` left for the editor to write; `validate` refuses an issue that still has one. */
export const PLACEHOLDER_MARK = '[[TODO]]';

/** A link still to be written: the schema's link rule passes it, the placeholder check lists it. */
export const PLACEHOLDER_LINK = `https://example.com/${PLACEHOLDER_MARK}`;

/** True for a value still holding the placeholder: the desk shows it as an empty field with a hint. */
export function isPlaceholder(value: unknown): boolean {
  return typeof value === 'string' && value.includes(PLACEHOLDER_MARK);
}
