import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.ts';
import { waitFor } from '../helpers/send-env.ts';

/** Redis on a closed port, with a password that must never be printed. */
const DOWN = 'redis://:s3cret-pass@127.0.0.1:1';
const children: ChildProcess[] = [];

afterAll(() => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
});

/** Starts a process with Redis down and collects everything it prints. */
function start(args: string[], env: Record<string, string> = {}) {
  const child = spawn(process.execPath, args, {
    env: {
      ...process.env,
      REDIS_URL: DOWN,
      REDIS_PREFIX: 'gztest-down',
      GAZETTE_SECRET: 'x'.repeat(32),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  const out = { text: '' };
  child.stdout?.on('data', (c: Buffer) => (out.text += c.toString()));
  child.stderr?.on('data', (c: Buffer) => (out.text += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, out, exited };
}

/** What a person should never see: a stack trace, ioredis' own complaint, the password. */
function expectClean(text: string) {
  expect(text).not.toMatch(/^\s+at /m);
  expect(text).not.toContain('[ioredis]');
  expect(text).not.toContain('s3cret-pass');
}

describe('Redis unreachable', () => {
  it('a worker says so with a visible backoff, never claims ready, and exits within 10 s of SIGTERM', async () => {
    const w = start(['--import', 'tsx', 'workers/index.ts']);
    await waitFor(() => (w.out.text.match(/trying again in/g) ?? []).length >= 3, 30_000, 'three retries');
    expect(w.out.text).toMatch(
      /Redis at redis:\/\/:\*\*\*@127\.0\.0\.1:1 does not answer \(ECONNREFUSED\); trying again in 0\.5 s/,
    );
    expect(w.out.text).toMatch(/trying again in 1\.0 s[\s\S]*trying again in 2\.0 s/);
    expect(w.out.text).not.toContain('ready');
    expectClean(w.out.text);
    const at = Date.now();
    w.child.kill('SIGTERM');
    await w.exited;
    // "At once": ioredis' disconnectTimeout (2 s) once kept the stopped process alive that long.
    console.log(`redis-down: the worker exited ${Date.now() - at} ms after SIGTERM`);
    expect(Date.now() - at).toBeLessThan(1500);
    expect(w.out.text).toContain('SIGTERM before Redis answered; stopped');
  }, 60_000);

  it('the server answers /health 503 at once and POSTs 503 within a second, and says why', async () => {
    const bin = join(import.meta.dirname, '../../bin/gazette.js');
    const s = start([bin, 'server', '--port', '0'], { BOUNCE_SMTP_PORT: '0' });
    await waitFor(
      () => /listening on http:\/\/localhost:(\d+)/.test(s.out.text),
      30_000,
      'the server to listen',
    );
    const port = s.out.text.match(/listening on http:\/\/localhost:(\d+)/)?.[1];
    let at = Date.now();
    const health = await fetch(`http://127.0.0.1:${port}/health`);
    expect([health.status, Date.now() - at < 500]).toEqual([503, true]);
    at = Date.now();
    const post = await fetch(`http://127.0.0.1:${port}/subscribe`, {
      method: 'POST',
      body: new URLSearchParams({ email: 'a@example.org' }),
    });
    expect([post.status, Date.now() - at < 1000]).toEqual([503, true]);
    expect(s.out.text).toContain('does not answer (ECONNREFUSED); trying again in');
    expect(s.out.text).not.toContain('ready');
    expectClean(s.out.text);
    // One sentence per retry: the queues' and the confirmation worker's connections once said theirs
    // again at every reconnect of their own.
    const lines = s.out.text.split('\n').filter(Boolean);
    expect(lines.filter((l, i) => lines.indexOf(l) !== i)).toEqual([]);
    const stopAt = Date.now();
    s.child.kill('SIGTERM');
    await s.exited;
    console.log(`redis-down: the server exited ${Date.now() - stopAt} ms after SIGTERM`);
    expect(Date.now() - stopAt).toBeLessThan(2500);
  }, 60_000);

  it("the CLI's one sentence names Redis without its password", async () => {
    const r = await runCli(['status'], { REDIS_URL: DOWN });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('cannot reach Redis at redis://:***@127.0.0.1:1');
    expectClean(r.stderr);
  }, 30_000);
});
