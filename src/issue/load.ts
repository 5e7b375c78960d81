import { readFile } from 'node:fs/promises';
import type { z } from 'zod';
import { formatPath, Issue } from './schema.ts';

/** One thing wrong with an issue file, located by its JSON path (or line and column for bad JSON). */
export interface Problem {
  path: string;
  message: string;
}

/** An issue file that cannot be used; `problems` lists every reason, `message` one line each. */
export class IssueError extends Error {
  override name = 'IssueError';
  constructor(
    readonly file: string,
    readonly problems: Problem[],
  ) {
    super(problems.map((p) => (p.path ? `${p.path}: ${p.message}` : p.message)).join('\n'));
  }
}

const TYPE_WORDS: Record<string, string> = {
  string: 'text',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  array: 'a list [ … ]',
  object: 'an object { … }',
};

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'string') return `text "${value.length > 30 ? `${value.slice(0, 30)}…` : value}"`;
  return typeof value === 'object' ? 'an object' : `${typeof value} ${String(value)}`;
}

/** Zod's messages rephrased for editors; schema-specific messages take precedence over these. */
const editorMessages: z.core.$ZodErrorMap = (iss) => {
  if ((iss.code === 'invalid_type' || iss.code === 'invalid_value') && iss.input === undefined)
    return 'is required';
  switch (iss.code) {
    case 'invalid_type':
      return `must be ${TYPE_WORDS[iss.expected] ?? iss.expected}, not ${describe(iss.input)}`;
    case 'unrecognized_keys':
      return `unknown field${iss.keys.length > 1 ? 's' : ''} ${iss.keys.map((k) => `"${k}"`).join(', ')} (check the spelling)`;
    case 'too_small':
      if (iss.origin === 'string') return 'must not be empty';
      if (iss.origin === 'array')
        return `must have at least ${iss.minimum} item${iss.minimum === 1 ? '' : 's'}`;
      return iss.inclusive ? `must be at least ${iss.minimum}` : `must be more than ${iss.minimum}`;
    case 'too_big':
      if (iss.origin === 'array') return `can have at most ${iss.maximum} items`;
      return `must be at most ${iss.maximum}`;
    case 'invalid_value':
      return `must be one of ${iss.values.join(', ')}`;
    default:
      return undefined;
  }
};

/** Validates parsed JSON as an Issue; throws IssueError listing every problem by JSON path. */
export function parseIssue(data: unknown, file = '<input>'): Issue {
  const result = Issue.safeParse(data, { error: editorMessages });
  if (result.success) return result.data;
  throw new IssueError(
    file,
    result.error.issues.map((i) => ({ path: formatPath(i.path), message: i.message })),
  );
}

/** Parses JSON text; a syntax error becomes an IssueError naming the line and column. */
export function parseIssueJson(source: string, file = '<input>'): Issue {
  let data: unknown;
  try {
    data = JSON.parse(source.replace(/^\uFEFF/, ''));
  } catch (err) {
    throw new IssueError(file, [{ path: '', message: jsonSyntaxMessage(source, err as Error) }]);
  }
  return parseIssue(data, file);
}

/** Reads and validates an issue file. Throws IssueError for a missing, malformed or invalid file. */
export async function loadIssue(file: string): Promise<Issue> {
  let source: string;
  try {
    source = await readFile(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : `cannot read it (${code ?? String(err)})`;
    throw new IssueError(file, [{ path: '', message: `${file}: ${why}` }]);
  }
  return parseIssueJson(source, file);
}

function jsonSyntaxMessage(source: string, err: Error): string {
  const reason = err.message
    .replace(/\s*in JSON at position \d+.*$/s, '')
    .replace(/ \(line \d+ column \d+\)$/, '');
  const position = /position (\d+)/.exec(err.message)?.[1];
  if (position === undefined) return `invalid JSON: ${reason}`;
  const before = source.replace(/^\uFEFF/, '').slice(0, Number(position));
  const line = before.split('\n').length;
  const column = Number(position) - before.lastIndexOf('\n');
  return `invalid JSON at line ${line}, column ${column}: ${reason}`;
}
