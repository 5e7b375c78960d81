import { execFile, spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIssueStore } from '../../src/issue/issue-store.ts';
import { TEST_REDIS_URL, type TestRedis, testRedis } from '../helpers/redis.ts';

const run = promisify(execFile);
const ROOT = join(import.meta.dirname, '../..');
let t: TestRedis;
let outbox: string;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  // `npx gazette` is the compiled CLI: make sure dist/ is current (incremental, quick when it is).
  const build = spawnSync('npm', ['run', 'build:cli'], { cwd: ROOT, encoding: 'utf8' });
  expect(build.status, build.stdout + build.stderr).toBe(0);
  t = await testRedis('demo');
  outbox = await mkdtemp(join(tmpdir(), 'gazette-demo-outbox-'));
  // The environment a newcomer's shell would have, on this test's own prefix.
  env = {
    ...process.env,
    REDIS_URL: TEST_REDIS_URL,
    REDIS_PREFIX: t.prefix,
    OUTBOX_DIR: outbox,
    GAZETTE_SECRET: 'demo-test-secret-0123456789abcdef0123',
    CI: '1',
  };
}, 300_000);
afterAll(async () => {
  await t?.cleanup();
  await rm(outbox, { recursive: true, force: true });
});

describe('npm run demo', () => {
  it('ends with commands that work as printed, and leaves what it did not make alone', async () => {
    await t.redis.set(`${t.prefix}:not-the-demos`, 'keep me');
    const demo = await run('npm', ['run', '--silent', 'demo'], { cwd: ROOT, env, timeout: 240_000 });
    const printed = demo.stdout.split('\n').map((l) => l.trim());
    const report = printed.find((l) => l.startsWith('npx gazette report '));
    const status = printed.find((l) => l.startsWith('npx gazette status '));
    expect(report, demo.stdout).toMatch(/^npx gazette report [a-z0-9-]+$/);
    expect(status).toBe(report?.replace(' report ', ' status '));
    const id = report?.split(' ').at(-1) as string;
    expect(printed.some((l) => l.includes(`/sends/${id}`))).toBe(true);

    // Pasted into a shell in the same folder and environment:
    const answer = await run('sh', ['-c', report as string], { cwd: ROOT, env });
    expect(answer.stdout).toContain(id);
    expect(answer.stdout).toMatch(/297/); // 300 imported, 3 left: everyone else got it
    const state = await run('sh', ['-c', `${status} --json`], { cwd: ROOT, env });
    expect(JSON.parse(state.stdout)).toMatchObject({ id, state: 'done', delivered: 297 });

    // The desk holds No.201 with the demo's send, so `gazette server` shows it sent, with its report.
    const issues = createIssueStore({ redis: t.redis, prefix: t.prefix });
    expect(await issues.get(201, 'ja')).toMatchObject({ updatedBy: 'demo', state: 'scheduled', sendId: id });
    expect(printed.some((l) => /^npx gazette server +# then open http:\/\/\S+\/desk/.test(l))).toBe(true);

    expect(await t.redis.get(`${t.prefix}:not-the-demos`)).toBe('keep me');
  }, 300_000);
});
