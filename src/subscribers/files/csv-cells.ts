/**
 * Spreadsheets run a cell that starts with = + - @ (or tab / CR) as a formula (CSV injection,
 * OWASP). Export prefixes such cells with an apostrophe, which Excel and LibreOffice show as text.
 * A value that already starts with apostrophes before such a character (a name that really is
 * `'=x`) gets one more, so that import, which takes one off exactly there, gives it back unchanged.
 */
const NEEDS_PREFIX = /^'*[=+\-@\t\r]/;

/** Makes one cell safe to open in a spreadsheet. */
export function safeCell(value: string): string {
  return NEEDS_PREFIX.test(value) ? `'${value}` : value;
}

/** Undoes `safeCell`, so that an exported file imports back unchanged. */
export function unsafeCell(value: string): string {
  return value.startsWith("'") && NEEDS_PREFIX.test(value.slice(1)) ? value.slice(1) : value;
}
