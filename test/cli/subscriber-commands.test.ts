import { execFile, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSubscriberStore } from '../../src/subscribers/subscriber-store.ts';
import { type TestRedis, testRedis } from '../helpers/redis.ts';

const run = promisify(execFile);
let t: TestRedis;
let dir: string;

/** Runs the real `gazette` command against the test prefix; never throws, returns code and output. */
async function gazette(...args: string[]) {
  const env = {
    ...process.env,
    REDIS_PREFIX: t.prefix,
    GAZETTE_SECRET: 'cli-test-secret-cli-test-secret-0123',
    NODE_ENV: 'test',
  };
  try {
    const { stdout, stderr } = await run('node', ['--import', 'tsx', 'src/cli.ts', ...args], { env });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

beforeAll(async () => {
  t = await testRedis('cli');
  dir = await mkdtemp(join(tmpdir(), 'gazette-cli-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
  await t.cleanup();
});

describe('gazette subscribers', () => {
  it('imports, lists, removes and exports', async () => {
    const file = join(dir, 'people.csv');
    await writeFile(
      file,
      '\uFEFFE-mail,Name,Locale\r\ntaro@example.jp,山田 太郎,ja\r\nbob@,Bob,en\r\nkim@example.kr,김민수,ko\r\n',
    );
    const imported = await gazette('subscribers', 'import', file, '--list', 'members');
    expect(imported).toMatchObject({ code: 0, stderr: '' });
    expect(imported.stdout).toBe(
      'added 2, updated 0, skipped 0 (0 unchanged, 0 suppressed), rejected 1\nline 3: "bob@" is not a valid e-mail address\n',
    );

    const removed = await gazette('subscribers', 'remove', 'KIM@example.kr');
    expect(removed.stdout).toBe('unsubscribed 2 kim@example.kr\n');

    const listed = await gazette('subscribers', 'list', '--list', 'members');
    expect(listed.stdout).toBe(
      '1\ttaro@example.jp\t山田 太郎\tja\tactive\tmembers\n2\tkim@example.kr\t김민수\tko\tunsubscribed\tmembers\n',
    );

    const again = await gazette('subscribers', 'import', file, '--list', 'members');
    expect(again.stdout.split('\n').slice(0, 2)).toEqual([
      'added 0, updated 0, skipped 2 (1 unchanged, 1 suppressed), rejected 1',
      '1 suppressed address(es) were left alone; pass --resubscribe to re-activate them',
    ]);

    const exported = await gazette('subscribers', 'export', '--format', 'jsonl');
    expect(
      exported.stdout
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l).status),
    ).toEqual(['active', 'unsubscribed']);
  });

  it('says what is wrong, in one line, with exit code 1', async () => {
    const cases: [string[], string][] = [
      [
        ['subscribers', 'import', join(dir, 'missing.csv')],
        `cannot read ${join(dir, 'missing.csv')}: no such file\n`,
      ],
      [['subscribers', 'add', 'bob@'], 'e-mail: "bob@" is not a valid e-mail address\n'],
      [
        ['subscribers', 'add', 'kim@example.kr'],
        expect.stringMatching(
          /^kim@example\.kr is suppressed \(unsubscribed since .*\); pass --resubscribe to add it again\n$/,
        ) as unknown as string,
      ],
      [['subscribers', 'export', '--format', 'xml'], '--format: "xml" is not csv or jsonl\n'],
    ];
    for (const [args, message] of cases) {
      const result = await gazette(...args);
      expect(result.code).toBe(1);
      expect(result.stderr).toEqual(message);
    }
  });
});

describe('gazette output into a pipe that closes early', () => {
  it('ends quietly, with no EPIPE stack trace, when piped to head', async () => {
    const store = createSubscriberStore({ redis: t.redis, prefix: t.prefix });
    await store.createMany(
      Array.from({ length: 5000 }, (_, i) => ({
        email: `pipe${i}@example.com`,
        name: 'A name long enough to fill the pipe buffer quickly',
        locale: 'en' as const,
        status: 'active' as const,
        lists: ['pipe'],
      })),
    );
    const env = { ...process.env, REDIS_PREFIX: t.prefix, GAZETTE_SECRET: 'x'.repeat(40), NODE_ENV: 'test' };
    const child = spawn('node', ['bin/gazette.js', 'subscribers', 'export', '--list', 'pipe'], { env });
    let stderr = '';
    child.stderr.on('data', (chunk) => {
      stderr += String(chunk);
    });
    // What `head -1` does: read the first chunk, then close its end of the pipe.
    child.stdout.once('data', () => child.stdout.destroy());
    const code = await new Promise<number | null>((done) => child.on('close', (c) => done(c)));
    expect(stderr).toBe('');
    expect(code).toBe(0);
  });
});
