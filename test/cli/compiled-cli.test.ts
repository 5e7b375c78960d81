import { type ChildProcess, execFile, spawn, spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../src/free-port.ts';
import { ISSUES_DIR } from '../helpers/issues.ts';
import { testRedis } from '../helpers/redis.ts';
import { startServerProcess } from '../helpers/server-process.ts';

// The shipped CLI is the compiled dist/ (npm ci builds it through `prepare`); these run bin/gazette.js
// itself. The rest of the suite runs the TypeScript sources.
const ROOT = join(import.meta.dirname, '../..');
const BIN = join(ROOT, 'bin/gazette.js');
const env = { ...process.env, GAZETTE_SECRET: 'x'.repeat(40), BOUNCE_SMTP_PORT: '0' };
let out: string;

beforeAll(async () => {
  // Incremental: quick when dist/ is up to date with the sources.
  const build = spawnSync('npm', ['run', 'build:cli'], { cwd: ROOT, encoding: 'utf8' });
  expect(build.status, build.stdout + build.stderr).toBe(0);
  out = await mkdtemp(join(tmpdir(), 'gazette-compiled-'));
}, 300_000);
afterAll(() => rm(out, { recursive: true, force: true }));

const run = (args: string[], more: Record<string, string> = {}) =>
  new Promise<{ code: number; stdout: string; stderr: string }>((done) => {
    execFile(
      process.execPath,
      [BIN, ...args],
      { env: { ...env, ...more }, cwd: ROOT },
      (err, stdout, stderr) => done({ code: err ? Number(err.code ?? 1) : 0, stdout, stderr }),
    );
  });

async function answers(port: number): Promise<boolean> {
  try {
    await (await fetch(`http://127.0.0.1:${port}/images/none`)).arrayBuffer();
    return true;
  } catch {
    return false;
  }
}

async function until(test: () => Promise<boolean>, ms: number, what: string) {
  const end = Date.now() + ms;
  while (!(await test())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('the compiled gazette', () => {
  it('answers --help and validate', async () => {
    const help = await run(['--help']);
    expect(help.code).toBe(0);
    for (const command of ['validate', 'build', 'check', 'new', 'send', 'report', 'server']) {
      expect(help.stdout).toMatch(new RegExp(`^\\s+${command}\\b`, 'm'));
    }
    expect(await run(['validate', join(ISSUES_DIR, '201.json')])).toMatchObject({ code: 0, stdout: 'ok\n' });
  });

  it('renders the TSX templates with the locale strings', async () => {
    const built = await run(['build', join(ISSUES_DIR, '201.json'), '--out', out]);
    expect(built.code, built.stderr).toBe(0);
    const html = await readFile(join(out, '201', 'index.html'), 'utf8');
    expect(html).toContain('読者の皆様へ'); // a ja.json string
    expect(html).toContain('ソウル市、ペルーの首都リマとスマートシティ政策を共有');
  });
});

describe('the compiled server', () => {
  it('serves the desk web app that npm ci built, as the README says (issue 18)', async () => {
    const desk = spawnSync('npm', ['run', 'build:desk'], { cwd: ROOT, encoding: 'utf8' });
    expect(desk.status, desk.stdout + desk.stderr).toBe(0);
    const { prefix, cleanup } = await testRedis('compiled-server');
    const port = await freePort();
    const child = spawn(process.execPath, [BIN, 'server', '--port', String(port)], {
      env: { ...env, REDIS_PREFIX: prefix, PUBLIC_URL: `http://localhost:${port}` },
      cwd: out, // another working folder: the bundle is found from the package, not from here
    });
    let stderr = '';
    child.stderr?.on('data', (d) => {
      stderr += d;
    });
    try {
      await until(() => answers(port), 60_000, 'the server to answer');
      const page = await fetch(`http://localhost:${port}/desk`);
      expect(page.status).toBe(200);
      const html = await page.text();
      const script = html.match(/src="(\/desk\/assets\/[^"]+\.js)"/)?.[1];
      expect(script, html).toBeDefined();
      const asset = await fetch(`http://localhost:${port}${script}`);
      expect(asset.status).toBe(200);
      expect(asset.headers.get('content-type')).toContain('javascript');
      expect(stderr).not.toContain('not built');
    } finally {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
      await cleanup();
    }
  }, 300_000);
});

describe('stopping the preview', () => {
  const stops = async (child: ChildProcess, port: number) => {
    await until(() => answers(port), 60_000, 'the preview to answer');
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    // Nothing it started may still serve the port.
    await new Promise((r) => setTimeout(r, 1000));
    expect(await answers(port)).toBe(false);
  };

  it('compiled: SIGTERM stops it', async () => {
    const port = await freePort();
    await stops(spawn(process.execPath, [BIN, 'preview', ISSUES_DIR, '--port', String(port)], { env }), port);
  }, 90_000);

  it('from the sources, under tsx watch: SIGTERM stops the watcher and its child', async () => {
    const port = await freePort();
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', join(ROOT, 'src/cli.ts'), 'preview', ISSUES_DIR, '--port', String(port)],
      { env, stdio: 'ignore' },
    );
    await stops(child, port);
  }, 90_000);
});

describe('a second gazette server on a busy port', () => {
  // Issue 17: it printed "cannot listen on port N: EADDRINUSE" and kept running (its Redis connections
  // and queues held the process), so a supervisor saw a live process that served nothing.
  const busyPort = async (): Promise<{ port: number; holder: Server }> => {
    const holder = createServer();
    await new Promise<void>((resolve) => holder.listen(0, resolve));
    return { port: (holder.address() as { port: number }).port, holder };
  };

  it('exits 1 with a sentence and no stack when its HTTP or SMTP port is taken', async () => {
    const t = await testRedis('busy-port');
    const { port, holder } = await busyPort();
    try {
      const started = Date.now();
      const http = await run(['server', '--port', String(port)], { REDIS_PREFIX: t.prefix });
      console.log(`busy port: the second server exited ${http.code} after ${Date.now() - started} ms`);
      expect(http.code).toBe(1);
      expect(http.stderr.trim()).toBe(
        `The server cannot listen on port ${port}: another program (perhaps another gazette server) is using it. Stop it, or choose another port with --port or PORT.`,
      );
      const smtp = await run(['server', '--port', '0'], {
        REDIS_PREFIX: t.prefix,
        BOUNCE_SMTP_PORT: String(port),
      });
      expect(smtp.code).toBe(1);
      expect(smtp.stderr.trim().split('\n').at(-1)).toBe(
        `The bounce receiver cannot listen on port ${port}: another program (perhaps another gazette server) is using it. Stop it, or choose another port with BOUNCE_SMTP_PORT.`,
      );
      for (const out of [http.stderr, smtp.stderr]) expect(out).not.toMatch(/EADDRINUSE|\n\s+at /);
    } finally {
      holder.close();
      await t.cleanup();
    }
  }, 60_000);
});

describe('the compiled server previews a draft', () => {
  it('in its worker thread, compiled to dist/ beside it', async () => {
    const t = await testRedis('compiled-preview');
    const port = await freePort();
    const more = { REDIS_PREFIX: t.prefix, DESK_URL: `http://127.0.0.1:${port}` };
    const server = spawn(process.execPath, [BIN, 'server', '--port', String(port)], {
      env: { ...env, ...more },
      stdio: 'ignore',
    });
    try {
      const made = await run(['tokens', 'create', '--name', 'preview-test', '--role', 'writer'], more);
      expect(made.code, made.stderr).toBe(0);
      await until(() => answers(port), 60_000, 'the server to answer');
      const issue = JSON.parse(await readFile(join(ISSUES_DIR, '203.json'), 'utf8'));
      const res = await fetch(`http://127.0.0.1:${port}/desk/api/issues/203/preview`, {
        method: 'POST',
        headers: { authorization: `Bearer ${made.stdout.trim()}`, 'content-type': 'application/json' },
        body: JSON.stringify({ issue }),
      });
      expect(res.status).toBe(200);
      expect((await res.json()).text).toContain('オンライン国際会議');
    } finally {
      server.kill('SIGTERM');
      await new Promise((r) => server.once('exit', r));
      await t.cleanup();
    }
  }, 90_000);
});

describe("the compiled server's bounce receiver", () => {
  // Issue 17: the bounce receiver classifies in a thread whose module is dist/'s classify.thread.js.
  it('classifies bounce mail in its own thread: a bounce is queued, junk is dropped', async () => {
    const t = await testRedis('compiled-server');
    const server = await startServerProcess(t.prefix, {}, { compiled: true });
    const transport = nodemailer.createTransport({
      host: '127.0.0.1',
      port: server.smtpPort,
      ignoreTLS: true,
    });
    const send = async (raw: string) =>
      (await transport.sendMail({ envelope: { from: '', to: ['bounces@bounce.gazette.test'] }, raw }))
        .response;
    try {
      const dsn = await readFile(join(ROOT, 'test/fixtures/bounces/postfix-user-unknown.eml'), 'utf8');
      expect(await send(dsn)).toMatch(/^250 2\.0\.0 queued as [0-9a-f]{12}$/);
      expect(await send('From: a@example.org\r\nSubject: hello\r\n\r\nJust a note.\r\n')).toBe(
        '250 2.0.0 not a bounce; dropped',
      );
    } finally {
      transport.close();
      await server.stop();
      await t.cleanup();
    }
  }, 90_000);
});
