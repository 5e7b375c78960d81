import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Issue } from '../issue/schema.ts';
import { type LintWarning, lintIssue } from './lint.ts';
import { compileIssue, webVersionOf } from './render.ts';

/** What `gazette build` wrote and found. */
export interface BuildReport {
  dir: string;
  files: { name: string; bytes: number }[];
  /** Size of the HTML as mailed (the figure Gmail's clipping limit applies to). */
  mailHtmlBytes: number;
  warnings: LintWarning[];
  ms: number;
}

/**
 * Builds an issue into `outDir/<number>/` (another edition than the default: `outDir/<number>/<locale>/`):
 * index.html and index.txt (the web version, with no personal links) and index.mjml (the source).
 * Lints the HTML as it will be mailed.
 */
export async function buildIssue(
  issue: Issue,
  opts: { outDir: string; publicUrl: string; edition?: boolean },
): Promise<BuildReport> {
  const started = performance.now();
  const compiled = await compileIssue(issue, { publicUrl: opts.publicUrl });
  const web = webVersionOf(compiled, { publicUrl: opts.publicUrl });
  const dir = join(opts.outDir, String(issue.number), opts.edition ? issue.locale : '');
  await mkdir(dir, { recursive: true });
  const outputs: [string, string][] = [
    ['index.html', web.html],
    ['index.txt', web.text],
    ['index.mjml', compiled.mjml],
  ];
  await Promise.all(outputs.map(([name, body]) => writeFile(join(dir, name), body)));
  return {
    dir,
    files: outputs.map(([name, body]) => ({ name, bytes: Buffer.byteLength(body) })),
    mailHtmlBytes: Buffer.byteLength(compiled.html),
    warnings: lintIssue(issue, compiled.html),
    ms: performance.now() - started,
  };
}
