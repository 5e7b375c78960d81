import { randomBytes } from 'node:crypto';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { parse } from 'csv-parse';
import { GazetteError } from '../../errors.ts';
import { type Coded, codeOfIssue } from '../../issue/message-code.ts';
import { formatPath } from '../../issue/schema.ts';
import { quote } from '../email.ts';
import { SubscriberInput } from '../subscriber-schema.ts';
import type { SubscriberStore } from '../subscriber-store.ts';
import { type UpsertOptions, type UpsertOutcome, upsertSubscribers } from '../upsert.ts';
import { unsafeCell } from './csv-cells.ts';

export type ImportFormat = 'csv' | 'jsonl';

/** Import settings: the upsert options plus who imports, the wording people agreed to, and the format. */
export interface ImportOptions extends Omit<UpsertOptions, 'consent'> {
  format: ImportFormat;
  /** Who vouches for the consent, e.g. `cli:editor`. */
  by: string;
  /** The words the people in the file agreed to. */
  wording: string;
  batchSize?: number;
}

/**
 * A row that was not imported, with its line number in the file (1 = the first line): the reason in
 * English, and as a message code with its values (and the column it is about, when one) for a face
 * to word in its reader's language.
 */
export interface RejectedRow extends Coded {
  line: number;
  reason: string;
  path?: string;
}

/** A row's refusal before its line is known: its English reason and its code. */
type RowRefusal = Omit<RejectedRow, 'line'>;

/** What an import did. `suppressed` rows were skipped because the address is suppressed. */
export interface ImportResult {
  added: number;
  updated: number;
  unchanged: number;
  suppressed: number;
  rejected: RejectedRow[];
}

/** A row that passed validation, with its line. */
interface ValidRow {
  line: number;
  input: SubscriberInput;
}

/** A row as read from the file, before validation. */
interface RawRow {
  line: number;
  fields: Record<string, unknown>;
}

const HEADER_ALIASES: Record<string, string> = {
  'e-mail': 'email',
  'email address': 'email',
  'e-mail address': 'email',
  mail: 'email',
  'full name': 'name',
  language: 'locale',
  lang: 'locale',
  list: 'lists',
};

/** The format a file name implies: `.jsonl` / `.ndjson` are JSON lines, anything else CSV. */
export function formatOf(file: string): ImportFormat {
  return /\.(jsonl|ndjson)$/i.test(file) ? 'jsonl' : 'csv';
}

/**
 * Imports subscribers from a CSV or JSONL stream in batches, at constant memory. Valid rows are
 * added or updated (an address already stored is updated, never duplicated); every other row is
 * reported with its line number and the reason. Throws GazetteError when the file has no e-mail column.
 */
export async function importSubscribers(
  store: SubscriberStore,
  input: Readable,
  opts: ImportOptions,
): Promise<ImportResult> {
  const result: ImportResult = { added: 0, updated: 0, unchanged: 0, suppressed: 0, rejected: [] };
  const wordingId = await store.saveWording(opts.wording);
  const upsert: UpsertOptions = { ...opts, consent: { source: 'import', by: opts.by, wordingId } };
  const runId = randomBytes(8).toString('hex');
  const batchSize = opts.batchSize ?? 1000;
  let batch: ValidRow[] = [];
  // One batch is written while the next is read and validated, so that Redis and the parser overlap.
  let writing: Promise<void> = Promise.resolve();
  const flush = async () => {
    const rows = batch;
    batch = [];
    await writing;
    writing = importBatch(store, runId, rows, upsert, result);
    writing.catch(() => undefined); // awaited by the next flush or below
  };
  try {
    const rows =
      opts.format === 'jsonl' ? readJsonLines(input, result.rejected) : readCsv(input, result.rejected);
    for await (const row of rows) {
      const parsed = validateRow(row.fields);
      if ('reason' in parsed) result.rejected.push({ line: row.line, ...parsed });
      else batch.push({ line: row.line, input: parsed });
      if (batch.length >= batchSize) await flush();
    }
    await flush();
    await writing;
  } finally {
    await writing.catch(() => undefined);
    await store.forgetImportRun(runId);
  }
  result.rejected.sort((a, b) => a.line - b.line);
  return result;
}

/** Writes one batch of valid rows: repeats of an earlier row are rejected, the rest upserted. */
async function importBatch(
  store: SubscriberStore,
  runId: string,
  valid: ValidRow[],
  opts: UpsertOptions,
  result: ImportResult,
): Promise<void> {
  const firstLines = await store.markImportRows(
    runId,
    valid.map((v) => ({ email: v.input.email, line: v.line })),
  );
  const unique = valid.filter((v, i) => {
    const first = firstLines[i];
    if (first === null || first === undefined) return true;
    result.rejected.push({
      line: v.line,
      reason: `${quote(v.input.email)} repeats line ${first}`,
      code: 'row-repeats',
      params: { email: v.input.email, first },
    });
    return false;
  });
  const outcomes = await upsertSubscribers(
    store,
    unique.map((v) => v.input),
    opts,
  );
  for (const outcome of outcomes) count(result, outcome);
}

function count(result: ImportResult, outcome: UpsertOutcome): void {
  result[outcome] += 1;
}

/** Validates one row; returns the subscriber, or why it was refused. */
function validateRow(fields: Record<string, unknown>): SubscriberInput | RowRefusal {
  for (const key in fields) {
    const value = fields[key];
    if (typeof value === 'string' && value.includes('\uFFFD'))
      return { reason: 'is not UTF-8 text (save the file as "CSV UTF-8")', code: 'row-not-utf8', params: {} };
  }
  const lists = fields.lists;
  const candidate = {
    email: text(fields.email ?? ''),
    name: emptyToUndefined(text(fields.name)),
    locale: emptyToUndefined(fields.locale),
    lists: typeof lists === 'string' ? lists.split(/[\s,;]+/).filter(Boolean) : (lists ?? []),
    status: emptyToUndefined(fields.status),
  };
  // reportInput: a wrong value (locale "fr") is told apart from a missing one (see codeOfIssue).
  const parsed = SubscriberInput.safeParse(candidate, { reportInput: true });
  if (parsed.success) return parsed.data;
  const reason = parsed.error.issues.map((i) => i.message).join('; ');
  // The first problem is the one worded: a row is usually refused for one column.
  const first = parsed.error.issues[0];
  if (!first) return { reason, code: 'invalid', params: {} };
  return { reason, ...codeOfIssue(first), path: formatPath(first.path) };
}

function text(value: unknown): unknown {
  return typeof value === 'string' ? unsafeCell(value) : value;
}

function emptyToUndefined(value: unknown): unknown {
  return typeof value === 'string' && value.trim() === '' ? undefined : (value ?? undefined);
}

/** CSV rows with a header row; blank lines and all-empty rows are skipped, broken quoting is reported. */
async function* readCsv(input: Readable, rejected: RejectedRow[]): AsyncGenerator<RawRow> {
  const lines = csvLineCounter();
  const parser = input.pipe(
    parse({
      bom: true,
      columns: csvColumns,
      skip_empty_lines: true,
      skip_records_with_empty_values: true,
      relax_column_count: true,
      relax_quotes: true,
      skip_records_with_error: true,
      // Called while parsing, in file order (a 'skip' event below sees the lines of every record before it).
      on_record: (record: Record<string, string | undefined>, context: { lines: number }): RawRow => ({
        line: lines.startOf(Object.values(record), context.lines),
        fields: record,
      }),
    }),
  );
  parser.on('skip', (err: Error) => {
    const line = lines.lastEnd + 1;
    rejected.push({
      line,
      reason: `a quoted field is never closed, so nothing from line ${line} on was imported (${err.message})`,
      code: 'row-unclosed-quote',
      params: { line },
    });
  });
  input.on('error', (err) => parser.destroy(err));
  yield* parser as AsyncIterable<RawRow>;
}

/** Normalises header names (case, aliases) and insists on an e-mail column. */
function csvColumns(header: string[]): string[] {
  const names = header.map((h) => {
    const name = h.trim().toLowerCase();
    // hasOwn: a header such as `__proto__` or `constructor` must not reach the object's prototype.
    return Object.hasOwn(HEADER_ALIASES, name) ? (HEADER_ALIASES[name] as string) : name;
  });
  if (!names.includes('email')) {
    const found = header.map((h) => quote(h)).join(', ');
    throw new GazetteError(`the first line must be a header row with an "email" column (found: ${found})`, {
      code: 'E_IMPORT_HEADER',
      params: { found },
    });
  }
  return names;
}

/** How many times `pattern` (global) matches in all of `values`. */
function countMatches(values: (string | undefined)[], pattern: RegExp): number {
  let n = 0;
  for (const value of values) if (value) n += value.match(pattern)?.length ?? 0;
  return n;
}

/**
 * Turns csv-parse's line counter into the line where each record starts. csv-parse counts the
 * line where a record ends, and counts a CR LF inside a quoted cell as two lines; this undoes
 * that drift and steps back over the line breaks inside the record's cells.
 */
function csvLineCounter() {
  let drift = 0;
  const counter = {
    lastEnd: 1,
    startOf(values: (string | undefined)[], parserLines: number): number {
      drift += countMatches(values, /\r\n/g);
      counter.lastEnd = parserLines - drift;
      return counter.lastEnd - countMatches(values, /\r\n|\r|\n/g);
    },
  };
  return counter;
}

/** JSON lines: one object per line; blank lines are skipped, a line that is not an object is reported. */
async function* readJsonLines(input: Readable, rejected: RejectedRow[]): AsyncGenerator<RawRow> {
  let line = 0;
  for await (const raw of createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY })) {
    line += 1;
    const text = line === 1 ? raw.replace(/^\uFEFF/, '') : raw;
    if (text.trim() === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (err) {
      rejected.push({
        line,
        reason: `is not valid JSON (${(err as Error).message})`,
        code: 'row-not-json',
        params: {},
      });
      continue;
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      rejected.push({ line, reason: 'is not a JSON object', code: 'row-not-object', params: {} });
      continue;
    }
    yield { line, fields: value as Record<string, unknown> };
  }
}
