import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.ts';
import { ISSUES_DIR } from '../helpers/issues.ts';

let out: string;
beforeAll(async () => {
  out = await mkdtemp(join(tmpdir(), 'gazette-build-'));
});
afterAll(() => rm(out, { recursive: true, force: true }));

const secret = { GAZETTE_SECRET: 'x'.repeat(40) };

describe('gazette validate', () => {
  it('prints ok for a good issue', async () => {
    expect(await runCli(['validate', join(ISSUES_DIR, '201.json')], secret)).toMatchObject({
      code: 0,
      stdout: 'ok\n',
    });
  });

  it('prints one line per problem and exits 1, with no stack trace', async () => {
    const file = join(out, 'bad.json');
    await writeFile(file, JSON.stringify({ number: 0, month: '2021-11', locale: 'ja' }, null, 2));
    const run = await runCli(['validate', file], secret);
    expect(run.code).toBe(1);
    // A missing field is located at the object that lacks it.
    expect(run.stderr.split('\n')).toEqual([
      'number (line 2): must be more than 0',
      'masthead (line 1): is required',
      'subject (line 1): is required',
      'lead (line 1): is required',
      'footer (line 1): is required',
      '',
    ]);
    expect(run.stderr).not.toMatch(/\bat .*\.ts:\d+/);
  });
});

describe('gazette build', () => {
  it('writes html, text and mjml and prints their sizes with no warnings', async () => {
    const run = await runCli(['build', join(ISSUES_DIR, '201.json'), '--out', out], secret);
    expect(run.code).toBe(0);
    for (const name of ['index.html', 'index.txt', 'index.mjml']) {
      expect((await stat(join(out, '201', name))).size).toBeGreaterThan(1000);
      expect(run.stdout).toMatch(new RegExp(`201/${name.replace('.', '\\.')}\\s+\\d+\\.\\d KB`));
    }
    expect(run.stdout).toMatch(/of Gmail's 102 KB clipping limit/);
    expect(run.stdout).not.toContain('warning');
    const html = await readFile(join(out, '201', 'index.html'), 'utf8');
    expect(html).not.toContain('%%GZ_'); // the web version has no placeholders left
    expect(html).toContain('読者の皆様へ');
  });
});
