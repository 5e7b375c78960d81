import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Command } from 'commander';
import type { BounceResult } from '../../bounces/classify/classifier-api.ts';

/** `gazette bounce classify <file.eml|dir>... [--json]`. */
export function registerBounceCommands(program: Command): void {
  const bounce = program.command('bounce').description('read bounce and complaint messages');
  bounce
    .command('classify')
    .description(
      'classify bounce messages: one line per failed recipient (folders are searched for .eml files)',
    )
    .argument('<paths...>', '.eml files or folders')
    .option('--json', 'one JSON object per result per line')
    .action(async (paths: string[], opts: { json?: boolean }) => {
      // The classifier (and mailparser) loads only when this command runs.
      const { classifyBounce } = await import('../../bounces/classify/classifier-api.ts');
      const print = opts.json ? jsonLine : humanLine;
      let failed = false;
      for (const path of paths) {
        for (const file of await emlFiles(path)) {
          try {
            for (const result of await classifyBounce(await readFile(file))) console.log(print(file, result));
          } catch (err) {
            // One bad file is reported and skipped; the rest still run and the exit code says something failed.
            failed = true;
            console.error(`${file}: ${problem(err)}`);
          }
        }
      }
      if (failed) process.exitCode = 1;
    });
}

function jsonLine(file: string, r: BounceResult): string {
  const { recipient, action, status, diagnostic, reason, kind } = r;
  return JSON.stringify({ file, recipient, action, status, diagnostic, reason, kind });
}

function humanLine(file: string, r: BounceResult): string {
  const what = r.kind === 'complaint' ? 'complaint' : `${r.kind} ${r.reason}`;
  return `${file}: ${r.recipient || '(recipient redacted)'} ${what} ${r.status || '-'} ${r.diagnostic}`.trimEnd();
}

/**
 * The .eml files under a folder (recursively, sorted), or the path itself when it is not a folder: a file the
 * user named is classified whatever its extension, and a path that cannot be read fails when it is read.
 */
async function emlFiles(path: string): Promise<string[]> {
  const info = await stat(path).catch(() => null);
  if (!info?.isDirectory()) return [path];
  const entries = await readdir(path, { withFileTypes: true });
  const nested = await Promise.all(
    entries
      .sort((a, b) => a.name.localeCompare(b.name))
      .filter((e) => e.isDirectory() || /\.eml$/i.test(e.name))
      .map((e) => (e.isDirectory() ? emlFiles(join(path, e.name)) : [join(path, e.name)])),
  );
  return nested.flat();
}

const READ_ERRORS: Record<string, string> = {
  ENOENT: 'no such file or folder',
  EACCES: 'permission denied',
  EISDIR: 'is a folder',
};

function problem(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code ?? '';
  if (READ_ERRORS[code]) return `cannot read it: ${READ_ERRORS[code]}`;
  return `cannot classify it: ${(err as Error).message ?? String(err)}`;
}
