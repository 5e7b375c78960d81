import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { TEST_REDIS_URL } from './redis.ts';
import { waitFor } from './send-env.ts';

const CLI = join(import.meta.dirname, '../../src/cli.ts');
const BIN = join(import.meta.dirname, '../../bin/gazette.js');

/** A `gazette server` process, from the sources (as `npm run gazette -- server`) or the compiled bin. */
export interface ServerProcess {
  /** http://127.0.0.1:<port> */
  base: string;
  /** The bounce receiver's SMTP port. */
  smtpPort: number;
  /** Everything it printed so far. */
  output(): string;
  /** SIGTERM, then waits for it to exit (SIGKILL after 10 s). */
  stop(): Promise<void>;
}

/**
 * Starts `gazette server --port 0` with BOUNCE_SMTP_PORT=0 on the test's key prefix (`env` added), and
 * resolves once both its HTTP server and its bounce receiver listen. `compiled`: bin/gazette.js, which
 * runs dist/ (build it first).
 */
export async function startServerProcess(
  prefix: string,
  env: Record<string, string> = {},
  { compiled = false } = {},
): Promise<ServerProcess> {
  const entry = compiled ? [BIN] : ['--import', 'tsx', CLI];
  const child: ChildProcess = spawn(process.execPath, [...entry, 'server', '--port', '0'], {
    env: {
      ...process.env,
      REDIS_URL: TEST_REDIS_URL,
      REDIS_PREFIX: prefix,
      GAZETTE_SECRET: 'test-secret-for-server-process-0123456789',
      PUBLIC_URL: 'http://gazette.test',
      BOUNCE_DOMAIN: 'bounce.gazette.test',
      BOUNCE_SMTP_PORT: '0',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let text = '';
  child.stdout?.on('data', (c: Buffer) => (text += c.toString()));
  child.stderr?.on('data', (c: Buffer) => (text += c.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const kill = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.kill('SIGTERM');
    await exited;
    clearTimeout(kill);
  };
  try {
    await waitFor(
      () => {
        if (child.exitCode !== null) throw new Error(`gazette server exited:\n${text}`);
        return /smtp port \d+/.test(text);
      },
      60_000,
      'gazette server to listen',
    );
  } catch (err) {
    await stop();
    throw err;
  }
  const http = /listening on http:\/\/localhost:(\d+)/.exec(text)?.[1];
  const smtp = /smtp port (\d+)/.exec(text)?.[1];
  return { base: `http://127.0.0.1:${http}`, smtpPort: Number(smtp), output: () => text, stop };
}

/** What a probe saw: the slowest answer, how many answers came, and the statuses that were not 200. */
export interface ProbeReport {
  worstMs: number;
  answers: number;
  notOk: number[];
}

// The probe's own code: asks for its URL every 20 ms until stdin closes, then prints its report. Its
// first answer pays for the probe's own start (the fetch machinery, the connection) and is not timed.
const PROBE = `
let stop = false, worst = 0, answers = 0; const notOk = [];
process.stdin.on('end', () => { stop = true; }).resume();
(async () => {
  while (!stop) {
    const started = performance.now();
    try {
      const res = await fetch(process.argv[1]);
      await res.arrayBuffer();
      if (res.status !== 200) notOk.push(res.status);
    } catch { notOk.push(0); }
    if (answers > 0) worst = Math.max(worst, performance.now() - started);
    answers += 1;
    await new Promise((r) => setTimeout(r, 20));
  }
  console.log(JSON.stringify({ worstMs: worst, answers, notOk }));
})();`;

/**
 * Starts a process of its own that asks `url` again and again until `stop`: the times it measures are
 * the server's, not those of a test process busy sending mail.
 */
export function startProbe(url: string): { stop(): Promise<ProbeReport> } {
  const child = spawn(process.execPath, ['-e', PROBE, url], { stdio: ['pipe', 'pipe', 'inherit'] });
  let out = '';
  child.stdout?.on('data', (c: Buffer) => (out += c.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    async stop() {
      child.stdin?.end();
      await exited;
      return JSON.parse(out) as ProbeReport;
    },
  };
}
