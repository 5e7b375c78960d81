/**
 * Spreadsheets run a cell that starts with = + - @ (or tab / CR) as a formula (CSV injection,
 * OWASP). Export prefixes such cells with an apostrophe, which Excel and LibreOffice show as text.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

/** Makes one cell safe to open in a spreadsheet. */
export function safeCell(value: string): string {
  return FORMULA_START.test(value) ? `'${value}` : value;
}

/** Undoes `safeCell`, so that an exported file imports back unchanged. */
export function unsafeCell(value: string): string {
  return value.startsWith("'") && FORMULA_START.test(value.slice(1)) ? value.slice(1) : value;
}
