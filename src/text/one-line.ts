/**
 * Turns subscriber or editor text, or any value from a request or a message about to be logged, into
 * one clean line: control characters (CR, LF, ESC, NUL…) and Unicode line separators become spaces,
 * runs of whitespace collapse, and the result is cut to `max` characters. Nothing from data can start
 * a new header, a new line of a greeting or a forged line in a log after this.
 */
export function oneLine(value: string, max = 200): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the point
  const flat = value.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, ' ');
  return Array.from(flat.replace(/\s+/g, ' ').trim()).slice(0, max).join('');
}
