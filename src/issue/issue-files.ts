import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { IssueStore, SaveResult } from './issue-store.ts';
import { loadIssue } from './load.ts';
import { type Issue, LOCALES } from './schema.ts';

/** An issue file read and validated: the issue, and its JSON as written (the stored revision's body). */
export interface IssueFile {
  file: string;
  issue: Issue;
  json: unknown;
}

/** The largest issue file the desk reads from the server's folder: an issue is a few tens of KB. */
export const MAX_ISSUE_FILE_BYTES = 1024 * 1024;

/** `201.json` and `201.en.json` (an edition), never `201.json.bak` or `notes.json`. */
const ISSUE_FILE = new RegExp(`^([1-9]\\d{0,8})(?:\\.(?:${LOCALES.join('|')}))?\\.json$`);

/** Reads and validates one issue file with `gazette validate`'s rules; throws IssueError naming each problem. */
export async function readIssueFile(file: string): Promise<IssueFile> {
  const issue = await loadIssue(file);
  const json: unknown = JSON.parse((await readFile(file, 'utf8')).replace(/^\uFEFF/, ''));
  return { file, issue, json };
}

/**
 * The names of the issue files in `dir` (`<n>.json`, `<n>.<locale>.json`), by number, at most `max`;
 * empty when the folder does not exist. Only plain files up to MAX_ISSUE_FILE_BYTES count.
 */
export async function issueFileNames(dir: string, max = 500): Promise<string[]> {
  const names = await readdir(dir).catch(() => [] as string[]);
  const matching = names.filter((n) => ISSUE_FILE.test(n));
  matching.sort((a, b) => Number(a.split('.')[0]) - Number(b.split('.')[0]) || a.localeCompare(b));
  const kept: string[] = [];
  for (const name of matching.slice(0, max)) {
    const info = await stat(join(dir, name)).catch(() => null);
    if (info?.isFile() && info.size <= MAX_ISSUE_FILE_BYTES) kept.push(name);
  }
  return kept;
}

/**
 * Stores an issue file in the desk's store and writes `issue.import` to the audit log: `put` saves a
 * new revision whatever the latest is (`gazette issues import`), `create` only an issue the store does
 * not hold yet (the desk's import, which must never overwrite an editor's work).
 */
export async function storeIssueFile(
  deps: {
    issues: IssueStore;
    audit: { record(e: { user: string; action: string; target: string }): unknown };
  },
  { issue, json }: IssueFile,
  by: string,
  mode: 'put' | 'create',
): Promise<SaveResult> {
  const saved = await deps.issues[mode](issue, json, by);
  if (saved.status === 'ok') {
    await deps.audit.record({
      user: by,
      action: 'issue.import',
      target: `issue:${issue.number}@${saved.revision}`,
    });
  }
  return saved;
}
