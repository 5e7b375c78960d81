import { formatPath } from './schema.ts';

/** A JSON syntax error at a 1-based line and column. */
export class JsonSyntaxError extends Error {
  override name = 'JsonSyntaxError';
  constructor(
    readonly line: number,
    readonly column: number,
    readonly reason: string,
  ) {
    super(`invalid JSON at line ${line}, column ${column}: ${reason}`);
  }
}

// JSON's own grammar (RFC 8259): raw control characters are not allowed inside a string.
// biome-ignore lint/suspicious/noControlCharactersInRegex: the control characters are what this refuses
const STRING = /"(?:[^"\\\u0000-\u001f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"/y;
const LITERAL = /true|false|null|-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

/** Parsed JSON and the line each value starts on, keyed by its path as `formatPath` writes it. */
export interface JsonSource {
  value: unknown;
  lines: Map<string, number>;
}

/**
 * Parses JSON text, recording where every value starts, so that a problem found later by path can
 * name its line. Throws JsonSyntaxError with line and column for any syntax error, including a
 * trailing comma (which JSON.parse reports without a position).
 */
export function parseJsonSource(text: string): JsonSource {
  const source = text.replace(/^\uFEFF/, '');
  const lines = new Map<string, number>();
  let pos = 0;
  let line = 1;
  let lineStart = 0;

  const fail = (reason: string): never => {
    throw new JsonSyntaxError(line, pos - lineStart + 1, reason);
  };
  const skipSpace = () => {
    while (pos < source.length) {
      const ch = source[pos];
      if (ch === '\n') {
        line++;
        lineStart = pos + 1;
      } else if (ch !== ' ' && ch !== '\t' && ch !== '\r') return;
      pos++;
    }
  };
  const found = () =>
    pos < source.length ? `unexpected ${JSON.stringify(source[pos])}` : 'unexpected end of file';
  const expect = (ch: string, what: string) => {
    skipSpace();
    if (source[pos] !== ch) fail(`${found()}, expected ${what}`);
    pos++;
  };

  const readString = (): string => {
    STRING.lastIndex = pos;
    const match = STRING.exec(source);
    if (!match) return fail('a text value is not closed or has a bad escape or a raw line break');
    pos = STRING.lastIndex;
    return JSON.parse(match[0]);
  };

  const readValue = (path: (string | number)[]): unknown => {
    skipSpace();
    lines.set(formatPath(path), line);
    const ch = source[pos];
    if (ch === '{') return readObject(path);
    if (ch === '[') return readArray(path);
    if (ch === '"') return readString();
    LITERAL.lastIndex = pos;
    const literal = LITERAL.exec(source);
    if (!literal) return fail(`${found()}, expected a value`);
    pos = LITERAL.lastIndex;
    return JSON.parse(literal[0]);
  };

  const readObject = (path: (string | number)[]): Record<string, unknown> => {
    const out: Record<string, unknown> = {};
    pos++;
    skipSpace();
    if (source[pos] === '}') {
      pos++;
      return out;
    }
    for (;;) {
      skipSpace();
      if (source[pos] !== '"')
        fail(`${found()}, expected a field name in double quotes (no comma after the last field)`);
      const key = readString();
      expect(':', '":" after the field name');
      out[key] = readValue([...path, key]);
      skipSpace();
      if (source[pos] === '}') {
        pos++;
        return out;
      }
      expect(',', '"," or "}"');
    }
  };

  const readArray = (path: (string | number)[]): unknown[] => {
    const out: unknown[] = [];
    pos++;
    skipSpace();
    if (source[pos] === ']') {
      pos++;
      return out;
    }
    for (;;) {
      skipSpace();
      if (source[pos] === ']') fail('unexpected "]": no comma after the last item');
      out.push(readValue([...path, out.length]));
      skipSpace();
      if (source[pos] === ']') {
        pos++;
        return out;
      }
      expect(',', '"," or "]"');
    }
  };

  const value = readValue([]);
  skipSpace();
  if (pos < source.length) fail(`${found()} after the end of the JSON`);
  return { value, lines };
}
