import { createInterface } from 'node:readline/promises';

/** True when a person is at the terminal (stdin and stderr are TTYs): only then is there anyone to ask. */
export function canAsk(): boolean {
  return Boolean(process.stdin.isTTY && process.stderr.isTTY);
}

/** Asks a yes/no question on the terminal; true only for an answer starting with y. */
export async function confirm(question: string): Promise<boolean> {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return /^\s*y/i.test(await rl.question(`${question} [y/N] `));
  } finally {
    rl.close();
  }
}
