import { createHash } from 'node:crypto';
import { lintIssue } from '../../../compose/lint.ts';
import { createPersonalizer } from '../../../compose/personalize.ts';
import { compileIssue } from '../../../compose/render.ts';
import { SAMPLE_READER } from '../../../compose/sample-reader.ts';
import { blankIssue } from '../../../issue/drafts/blank-issue.ts';
import { withStandIns } from '../../../issue/drafts/placeholder.ts';
import { codeOfIssue, type MessageParams } from '../../../issue/message-code.ts';
import { formatPath, Issue } from '../../../issue/schema.ts';
import type { Problem } from '../schemas.ts';

/** A draft to preview: the JSON as the desk sent it, the number in the URL, the origin for images. */
export interface DraftJob {
  draft: unknown;
  number: string;
  publicUrl: string;
}

/** What a draft became: refused with validate's paths and words, of another number, or compiled. */
export type DraftOutcome =
  | { kind: 'invalid'; errors: Problem[] }
  | { kind: 'other-number'; number: number }
  | {
      kind: 'compiled';
      /** The draft's hash: the same draft gets the same id. */
      id: string;
      html: string;
      text: string;
      warnings: { code: string; params: MessageParams; message: string; path?: string }[];
    };

/**
 * Validates a draft and compiles it for the sample reader, with the lint of its HTML. Runs in a
 * worker thread (see draft-compiler.ts): validating and compiling a large draft takes seconds of CPU.
 */
export default async function compileDraft(job: DraftJob | null): Promise<DraftOutcome | null> {
  // null: the pool's warm-up. A first compile costs seconds more than the next ones (MJML's and React's
  // code runs cold), so a blank issue is compiled here, before any draft's time budget starts.
  if (job === null) {
    await compileIssue(withStandIns(blankIssue('ja', 1, '2000-01')), { publicUrl: 'http://localhost' });
    return null;
  }
  const parsed = Issue.safeParse(job.draft);
  if (!parsed.success) {
    const errors = parsed.error.issues.map((i) => ({
      path: formatPath(i.path),
      message: i.message,
      ...codeOfIssue(i),
    }));
    return { kind: 'invalid', errors };
  }
  const issue = parsed.data;
  if (String(issue.number) !== job.number) return { kind: 'other-number', number: issue.number };
  const id = createHash('sha256').update(JSON.stringify(issue)).digest('base64url').slice(0, 32);
  const compiled = await compileIssue(withStandIns(issue), { publicUrl: job.publicUrl });
  const mail = createPersonalizer(compiled)(SAMPLE_READER);
  const warnings = lintIssue(issue, compiled.html).map(({ reason, params, message, path }) => ({
    code: reason,
    params,
    message,
    path,
  }));
  return { kind: 'compiled', id, html: mail.html, text: mail.text, warnings };
}
