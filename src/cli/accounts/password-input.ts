import { createInterface } from 'node:readline';
import { GazetteError } from '../../errors.ts';

/** Reads all of stdin (a pipe or file) and returns its first line. */
async function firstLine(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8').split(/\r?\n/)[0] ?? '';
}

/** Asks on the terminal without echoing what is typed. */
function prompt(question: string): Promise<string> {
  return new Promise((resolve) => {
    const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: true });
    const write = (rl as unknown as { _writeToOutput: (s: string) => void })._writeToOutput;
    let asked = false;
    // readline has no "hidden" mode: after the question, echo nothing.
    (rl as unknown as { _writeToOutput: (s: string) => void })._writeToOutput = (s: string) => {
      if (!asked) write.call(rl, s);
    };
    rl.question(question, (answer) => {
      rl.close();
      process.stderr.write('\n');
      resolve(answer);
    });
    asked = true;
  });
}

/**
 * A new password: from stdin when it is not a terminal (scripts: `echo … | gazette users add`),
 * else prompted twice. Throws GazetteError when it is empty or the two entries differ.
 */
export async function readNewPassword(): Promise<string> {
  const password = process.stdin.isTTY ? await prompt('Password: ') : await firstLine();
  if (!password)
    throw new GazetteError('No password given (type it, or pipe it on stdin).', { code: 'E_USAGE' });
  if (process.stdin.isTTY && (await prompt('Again: ')) !== password) {
    throw new GazetteError('The two passwords differ; nothing changed.', { code: 'E_USAGE' });
  }
  return password;
}
