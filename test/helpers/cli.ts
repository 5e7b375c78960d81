import { execFile } from 'node:child_process';
import { join } from 'node:path';

const CLI = join(import.meta.dirname, '../../src/cli.ts');

/**
 * Runs `gazette …` from the TypeScript sources as a real child process (the suite tests the sources;
 * test/cli/compiled-cli.test.ts tests the compiled bin), with `input` on its stdin (a pipe, not a
 * terminal, closed after); resolves with its exit code and output, never rejects.
 */
export function runCli(
  args: string[],
  env: Record<string, string> = {},
  input = '',
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    const child = execFile(
      process.execPath,
      ['--import', 'tsx', CLI, ...args],
      { env: { ...process.env, ...env } },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
        done({ code, stdout, stderr });
      },
    );
    child.stdin?.end(input);
  });
}
