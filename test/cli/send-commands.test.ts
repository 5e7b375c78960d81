// Each test runs the real CLI several times: a few seconds a run on a quiet machine, far more on a busy one.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.ts';
import { type TestRedis, testRedis } from '../helpers/redis.ts';
import { addReaders, sendEnv, testConfig } from '../helpers/send-env.ts';

let t: TestRedis;
let outbox: string;
let cliEnv: Record<string, string>;

beforeAll(async () => {
  t = await testRedis('send-cli');
  outbox = await mkdtemp(join(tmpdir(), 'gazette-cli-outbox-'));
  const config = testConfig(t.prefix);
  const env = sendEnv(t.redis, config);
  await addReaders(env.subscribers, 'cli', 3, { domain: 'cli.example' });
  await env.queues.close();
  cliEnv = {
    REDIS_PREFIX: t.prefix,
    GAZETTE_SECRET: config.GAZETTE_SECRET,
    OUTBOX_DIR: outbox,
    MAIL_FROM: 'Gazette <news@gazette.test>',
    SMTP_URL: '',
  };
});

afterAll(async () => {
  await rm(outbox, { recursive: true, force: true });
  await t?.cleanup();
});

describe('gazette send, status, pause, resume, cancel', () => {
  it('schedules a send, prints {"id"} with --json, and controls it', async () => {
    const sent = await runCli(
      ['send', 'issues/201.json', '--list', 'cli', '--at', '2099-01-01T09:00', '--json'],
      cliEnv,
    );
    expect(sent.code).toBe(0);
    const { id } = JSON.parse(sent.stdout) as { id: string };
    expect(id).toMatch(/^s[a-z0-9]+$/);
    expect(sent.stderr).toContain('scheduled for list cli (3 members) at 2099-01-01 09:00:00 Asia/Seoul');

    const status = await runCli(['status', id, '--json'], cliEnv);
    expect(JSON.parse(status.stdout)).toEqual({
      id,
      state: 'scheduled',
      total: 3,
      queued: 3,
      delivered: 0,
      failed: 0,
      skipped: 0,
      bounced: 0,
      unsubscribed: 0,
    });
    expect((await runCli(['pause', id], cliEnv)).stdout.trim()).toBe(`${id}: paused`);
    expect((await runCli(['cancel', id], cliEnv)).stdout.trim()).toBe(`${id}: cancelled`);
    const again = await runCli(['resume', id], cliEnv);
    expect(again).toMatchObject({ code: 1, stderr: `Send ${id} is cancelled; it cannot be resumed now.\n` });
  }, 120_000);

  it('sends a [TEST] message straight away into the built-in sink', async () => {
    const sent = await runCli(['send', 'issues/201.json', '--test', 'editor@example.org'], cliEnv);
    expect(sent.code).toBe(0);
    const id = sent.stdout.trim();
    expect(await readdir(join(outbox, id))).toEqual(['1.eml']);
    const eml = await readFile(join(outbox, id, '1.eml'), 'utf8');
    expect(eml).toContain('To: editor@example.org');
    expect(eml).toMatch(/^Subject: =\?UTF-8\?B\?W1RFU1RdIEkgwrcgU0VPVUwgwrcgVS/m);
    expect(JSON.parse((await runCli(['status', id, '--json'], cliEnv)).stdout)).toMatchObject({
      state: 'done',
      delivered: 1,
    });
  }, 120_000);

  it('refuses bad input with one sentence and exit 1', async () => {
    expect(await runCli(['send', 'issues/201.json', '--list', 'cli', '--at', 'soon'], cliEnv)).toMatchObject({
      code: 1,
      stdout: '',
      stderr: expect.stringMatching(/^--at "soon" is not a time Gazette can read; use ISO-8601/),
    });
    expect(await runCli(['status', 'snope'], cliEnv)).toMatchObject({
      code: 1,
      stderr: 'There is no send "snope"; `gazette status` lists the sends.\n',
    });
  }, 120_000);
});

describe.skipIf(!existsSync('/usr/bin/script'))('gazette send at a terminal', () => {
  /** Runs `gazette send` under script(1), a real pseudo-terminal, answering its question with `answer`. */
  function sendAtTerminal(list: string, answer: string): Promise<{ code: number; screen: string }> {
    const cli = [process.execPath, '--import', 'tsx', 'src/cli.ts', 'send', 'issues/201.json'];
    const command = [...cli, '--list', list, '--at', '2099-01-01T09:00'].join(' ');
    return new Promise((done) => {
      const child = spawn('script', ['-qec', command, '/dev/null'], { env: { ...process.env, ...cliEnv } });
      let screen = '';
      const read = (chunk: Buffer) => {
        screen += chunk.toString();
        if (screen.includes('[y/N]') && !child.stdin.writableEnded) child.stdin.end(`${answer}\n`);
      };
      child.stdout.on('data', read);
      child.stderr.on('data', read);
      child.on('close', (code) => done({ code: code ?? 1, screen }));
    });
  }

  it('asks "Send No.201 to N readers of L on … Asia/Seoul? [y/N]"; no schedules nothing, y schedules', async () => {
    const declined = await sendAtTerminal('cli', 'n');
    expect(declined.screen).toContain(
      'Send No.201 to 3 readers of cli on 2099-01-01 09:00 Asia/Seoul? [y/N]',
    );
    expect(declined.screen).toContain('Nothing was scheduled.');
    expect(declined.code).toBe(1);
    const env = sendEnv(t.redis, testConfig(t.prefix));
    const before = (await env.sends.ofIssue(201)).filter((s) => s.list === 'cli' && s.state === 'scheduled');

    const accepted = await sendAtTerminal('cli', 'y');
    expect(accepted.code).toBe(0);
    const after = (await env.sends.ofIssue(201)).filter((s) => s.list === 'cli' && s.state === 'scheduled');
    expect(after.length).toBe(before.length + 1);
    await env.queues.close();
  }, 60_000);
});
