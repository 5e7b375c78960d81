import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { z } from 'zod';
import { placeholderPaths } from './drafts/placeholder.ts';
import { PLACEHOLDER_MARK } from './drafts/placeholder-mark.ts';
import { type JsonSource, JsonSyntaxError, parseJsonSource } from './json-source.ts';
import { checkLocalImages } from './local-images.ts';
import { codeOfIssue } from './message-code.ts';
import { describeProblem, type Problem } from './problem.ts';
import { formatPath, Issue } from './schema.ts';

export type { Problem } from './problem.ts';

/** An issue file that cannot be used; `problems` lists every reason, `message` one line each. */
export class IssueError extends Error {
  override name = 'IssueError';
  constructor(
    readonly file: string,
    readonly problems: Problem[],
  ) {
    super(problems.map(describeProblem).join('\n'));
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

/**
 * Validates parsed JSON as an Issue; throws IssueError listing every problem by JSON path, with the
 * article it belongs to and, given the JSON source, its line in the file.
 */
export function parseIssue(data: unknown, file = '<input>', lines?: JsonSource['lines']): Issue {
  const result = Issue.safeParse(data, { error: editorMessages });
  const problems = [
    ...(result.success
      ? []
      : result.error.issues.map((i) =>
          locateProblem(data, lines, { path: formatPath(i.path), message: i.message, ...codeOfIssue(i) }),
        )),
    ...placeholderPaths(data).map((path) =>
      locateProblem(data, lines, { path, code: 'placeholder', params: {}, message: PLACEHOLDER_MESSAGE }),
    ),
  ];
  if (result.success && problems.length === 0) return result.data;
  throw new IssueError(file, problems);
}

const PLACEHOLDER_MESSAGE = `still holds the placeholder ${PLACEHOLDER_MARK} from \`gazette new\`: write the real text`;

/** Parses JSON text; a syntax error (a trailing comma too) becomes an IssueError naming the line and column. */
export function parseIssueJson(source: string, file = '<input>'): Issue {
  return parseSource(source, file).issue;
}

function parseSource(source: string, file: string): { issue: Issue; parsed: JsonSource } {
  let parsed: JsonSource;
  try {
    parsed = parseJsonSource(source);
  } catch (err) {
    if (!(err instanceof JsonSyntaxError)) throw err;
    throw new IssueError(file, [{ path: '', code: 'json-syntax', params: {}, message: err.message }]);
  }
  return { issue: parseIssue(parsed.value, file, parsed.lines), parsed };
}

/**
 * Reads and validates an issue file. Throws IssueError for a missing, malformed or invalid file and,
 * with `checkImages` (validate, build, preview, send), for an image file missing beside it.
 */
export async function loadIssue(file: string, opts: { checkImages?: boolean } = {}): Promise<Issue> {
  let source: string;
  try {
    source = await readFile(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : `cannot read it (${code ?? String(err)})`;
    throw new IssueError(file, [
      { path: '', code: 'unreadable', params: { file }, message: `${file}: ${why}` },
    ]);
  }
  const { issue, parsed } = parseSource(source, file);
  if (!opts.checkImages) return issue;
  const missing = await checkLocalImages(issue, join(dirname(file), 'images'));
  if (missing.length === 0) return issue;
  throw new IssueError(
    file,
    missing.map(({ path, code, params, message }) =>
      locateProblem(parsed.value, parsed.lines, { path: path ?? '', code, params, message }),
    ),
  );
}

/** The problem at `path`, with its line (or its nearest written parent's) and its article's title. */
function locateProblem(
  data: unknown,
  lines: JsonSource['lines'] | undefined,
  found: Omit<Problem, 'line' | 'article'>,
): Problem {
  const problem: Problem = { ...found };
  const { path } = found;
  for (let at = path; lines; at = at.replace(/(?:\.[^.[\]]+|\[\d+\])$|^[^.[\]]+$/, '')) {
    const line = lines.get(at);
    if (line !== undefined) {
      problem.line = line;
      break;
    }
    if (at === '') break;
  }
  const articlePath = /^(?:lead|sections\[\d+\]\.articles\[\d+\])(?=$|[.[])/.exec(path)?.[0];
  if (articlePath) {
    let article: unknown = data;
    for (const key of articlePath.match(/[^.[\]]+/g) ?? []) {
      article = (article as Record<string, unknown> | undefined)?.[/^\d+$/.test(key) ? Number(key) : key];
    }
    const title = (article as { title?: unknown } | undefined)?.title;
    if (typeof title === 'string' && title.trim() !== '') {
      const locale = (data as { locale?: unknown } | null)?.locale;
      problem.article = { path: articlePath, title: title.trim(), locale };
    }
  }
  return problem;
}
