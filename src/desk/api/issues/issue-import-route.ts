import { join } from 'node:path';
import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { issueFileNames, readIssueFile, storeIssueFile } from '../../../issue/issue-files.ts';
import { IssueError } from '../../../issue/load.ts';
import { describeProblem } from '../../../issue/problem.ts';
import { wordsFor } from '../caller-language.ts';
import type { DeskDeps, DeskEnv } from '../desk-deps.ts';
import { ANY_ROLE, json, REFUSALS, secured } from '../route-kit.ts';
import { type ImportedIssuesAnswer, ImportedIssuesAnswer as ImportedIssuesSchema } from '../schemas.ts';

/** The most files one import reads: a desk's folder holds an issue a month. */
const MAX_FILES = 500;

const importRoute = createRoute({
  method: 'post',
  path: '/issues/import',
  summary: "Store the issue files of the server's ISSUES_DIR that the desk does not hold yet",
  ...secured(...ANY_ROLE),
  description: [
    secured(...ANY_ROLE).description,
    'Reads `<n>.json` and `<n>.<locale>.json` (up to 1 MB each, 500 files) from the folder ISSUES_DIR names; the request names no file.',
    'Each valid file whose number and locale the desk has not got is stored at revision 1 (draft); an issue already in the desk is never overwritten (`gazette issues import` does that).',
  ].join(' '),
  responses: {
    200: json(ImportedIssuesSchema, 'What was stored and what was left, file by file'),
    ...REFUSALS,
  },
});

/** `POST /issues/import`: the desk's "import the issue files the server can see" (gazette issues import's code). */
export function issueImportRoute(api: OpenAPIHono<DeskEnv>, deps: DeskDeps): void {
  api.openapi(importRoute, async (c) => {
    const dir = deps.config.ISSUES_DIR;
    const answer: ImportedIssuesAnswer = { imported: [], skipped: [] };
    const words = wordsFor(c, true);
    for (const file of await issueFileNames(dir, MAX_FILES)) {
      const path = join(dir, file);
      const read = await readIssueFile(path).catch((err: unknown) => {
        if (err instanceof IssueError) return err;
        throw err;
      });
      if (read instanceof IssueError) {
        // The first problem in the caller's language; in English, `gazette validate`'s words with the
        // file's own name rather than the server's path to it.
        const first = read.problems[0];
        const message = first
          ? words({ ...first, message: describeProblem(first).replaceAll(path, file) })
          : '';
        answer.skipped.push({ file, code: 'invalid', message });
        continue;
      }
      const saved = await storeIssueFile(deps, read, c.get('caller').id, 'create');
      const { number, locale } = read.issue;
      if (saved.status === 'ok') answer.imported.push({ file, number, locale, revision: saved.revision });
      else answer.skipped.push({ file, code: 'exists', message: '' });
    }
    return c.json(answer, 200);
  });
}
