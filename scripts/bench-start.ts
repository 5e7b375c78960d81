/**
 * Start-up benchmark of the shipped (compiled) CLI: `gazette --help`, `gazette validate`, and how
 * long `gazette server` and `gazette preview` take to answer their first request, each the median of
 * several runs beside bare `node -e 0` (the baseline). Builds dist/ first if it is missing.
 * Quality bar (quiet machine): --help < 0.4 s, validate < 0.6 s, server and preview answer < 2 s.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { loadavg } from 'node:os';
import { freePort } from '../src/free-port.ts';

const RUNS = 5;
const BIN = 'bin/gazette.js';
const env = {
  ...process.env,
  GAZETTE_SECRET: 'bench-secret-0123456789abcdef01234567',
  BOUNCE_SMTP_PORT: '0',
};
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

if (!existsSync('dist/src/cli.js')) spawnSync('npm', ['run', 'build:cli'], { stdio: 'inherit' });

function timeRun(args: string[]): number {
  const t = performance.now();
  const run = spawnSync(process.execPath, args, { env, stdio: 'ignore' });
  if (run.status !== 0) throw new Error(`${args.join(' ')} exited ${run.status}`);
  return performance.now() - t;
}

/** Milliseconds from spawning `args` (with `--port`) until `path` answers any HTTP status. */
async function timeAnswer(args: string[], path: string): Promise<number> {
  const port = await freePort();
  const t = performance.now();
  const child = spawn(process.execPath, [...args, '--port', String(port)], { env, stdio: 'ignore' });
  try {
    for (;;) {
      try {
        await (await fetch(`http://127.0.0.1:${port}${path}`)).arrayBuffer();
        return performance.now() - t;
      } catch {
        if (child.exitCode !== null) throw new Error(`${args.join(' ')} exited ${child.exitCode}`);
        await new Promise((r) => setTimeout(r, 10));
      }
    }
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
  }
}

const baseline = median(Array.from({ length: RUNS }, () => timeRun(['-e', '0'])));
const emit = (name: string, ms: number, limitMs: number) =>
  console.log(
    JSON.stringify({
      name,
      median_ms: Math.round(ms),
      limit_ms: limitMs,
      baseline: Math.round(baseline),
      ratio: +(ms / baseline).toFixed(2),
      load_1m: +(loadavg()[0] ?? 0).toFixed(1),
    }),
  );

emit('start-help', median(Array.from({ length: RUNS }, () => timeRun([BIN, '--help']))), 400);
emit(
  'start-validate',
  median(Array.from({ length: RUNS }, () => timeRun([BIN, 'validate', 'issues/201.json']))),
  600,
);
const serve = async (args: string[], path: string) => {
  const times: number[] = [];
  for (let i = 0; i < 3; i++) times.push(await timeAnswer(args, path));
  return median(times);
};
emit('start-server-answer', await serve([BIN, 'server'], '/health'), 2000);
emit('start-preview-answer', await serve([BIN, 'preview', 'issues'], '/images/none'), 2000);
// The index page compiles every issue in the folder (MJML and lint for each), so it is slower than the first answer.
emit('start-preview-index', await serve([BIN, 'preview', 'issues'], '/'), 2000);
