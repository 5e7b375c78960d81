import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nextMonth, scaffoldIssue } from '../../src/issue/drafts/scaffold.ts';
import { IssueError, loadIssue, parseIssue } from '../../src/issue/load.ts';
import { runCli } from '../helpers/cli.ts';
import { ISSUES_DIR } from '../helpers/issues.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gazette-new-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('scaffoldIssue', () => {
  it('moves on a month, ranks by the earlier issue, keeps sections and footer, links the previous issue', async () => {
    const earlier = await loadIssue(join(ISSUES_DIR, '201.json'));
    const next = scaffoldIssue(earlier);
    expect(next).toMatchObject({ number: 202, month: '2021-12', ranking: { from: 201, items: [] } });
    // Without clicks to rank, one item to write by hand instead (the editor may also drop the ranking).
    const unclicked = scaffoldIssue(earlier, 202, { clicked: false }).ranking;
    expect(unclicked?.from).toBeUndefined();
    expect(unclicked?.items).toEqual([
      { title: '[[TODO]] ranking item', url: 'https://japanese.seoul.go.kr/[[TODO]]' },
    ]);
    expect(next.sections.map((s) => [s.title, s.articles.length])).toEqual(
      earlier.sections.map((s) => [s.title, s.articles.length]),
    );
    expect(next.footer.copyright).toBe(earlier.footer.copyright);
    expect(next.footer.links.at(-1)).toEqual({
      label: '前号を読む',
      url: 'https://japanese.seoul.go.kr/newsletter/201/',
    });
    const json = JSON.stringify(next);
    expect(json).not.toMatch(/"date"/);
    expect(json).not.toContain(earlier.lead.title);
    expect(nextMonth('2021-12')).toBe('2022-01');
  });
});

describe('gazette new', () => {
  it('writes a file that validate refuses, naming each placeholder, until they are replaced', async () => {
    const out = join(dir, '202.json');
    const made = await runCli(['new', '202', '--from', join(ISSUES_DIR, '201.json'), '--out', out]);
    expect(made).toMatchObject({ code: 0 });
    const refused = await runCli(['validate', out]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/^subject \(line \d+\): still holds the placeholder \[\[TODO\]\]/);
    expect(refused.stderr).toContain('(sections[0].articles[2], line');

    const data = JSON.parse(await readFile(out, 'utf8'));
    expect(() => parseIssue(data)).toThrow(IssueError);
    // An editor writes the real text (and, here, drops the images and the photo rather than shooting them).
    const fill = (v: unknown): unknown =>
      typeof v === 'string'
        ? v.replace('[[TODO]]', 'written')
        : Array.isArray(v)
          ? v.map(fill)
          : v && typeof v === 'object'
            ? Object.fromEntries(
                Object.entries(v)
                  .filter(([k]) => k !== 'image')
                  .map(([k, x]) => [k, fill(x)]),
              )
            : v;
    const filled = fill(data) as Record<string, unknown>;
    delete filled.photo;
    await writeFile(out, JSON.stringify(filled, null, 2));
    expect(await runCli(['validate', out])).toMatchObject({ code: 0, stdout: 'ok\n' });
  });

  it('never overwrites an existing file', async () => {
    const out = join(dir, 'taken.json');
    await writeFile(out, 'mine');
    const run = await runCli(['new', '202', '--from', join(ISSUES_DIR, '201.json'), '--out', out]);
    expect(run).toMatchObject({ code: 1 });
    expect(run.stderr).toContain('already exists');
    expect(await readFile(out, 'utf8')).toBe('mine');
  });
});
