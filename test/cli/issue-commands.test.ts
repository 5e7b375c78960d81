import { cp, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectLinks } from '../../src/compose/links.ts';
import { type IssueError, parseIssue } from '../../src/issue/load.ts';
import { runCli } from '../helpers/cli.ts';
import { ISSUES_DIR, issue201Json } from '../helpers/issues.ts';

let out: string;
beforeAll(async () => {
  out = await mkdtemp(join(tmpdir(), 'gazette-build-'));
  // Issue files written here have their images beside them, as validate requires.
  await cp(join(ISSUES_DIR, 'images'), join(out, 'images'), { recursive: true });
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

  it('--lang words each problem and its place as the desk does; without it the lines stay English', async () => {
    const data = issue201Json();
    data.sections[0].articles[0].title = '';
    data.subject = '';
    const file = join(out, 'lang.json');
    await writeFile(file, JSON.stringify(data, null, 1));
    const [ja, ko, en, plain] = await Promise.all(
      [['--lang', 'ja'], ['--lang', 'ko'], ['--lang', 'en'], []].map((lang) =>
        runCli(['validate', file, ...lang], secret),
      ),
    );
    expect(ja?.code).toBe(1);
    expect(ja?.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(/^件名（\d+行目）：空にはできません$/),
      expect.stringMatching(/^セクション1・記事1のタイトル（\d+行目）：空にはできません$/),
    ]);
    expect(ko?.stderr).toMatch(/^섹션 1 · 기사 1의 제목 \(\d+번째 줄\): 비워 둘 수 없습니다$/m);
    expect(en?.stderr).toMatch(/^Section 1, article 1: title \(line \d+\): must not be empty$/m);
    expect(plain?.stderr).toMatch(/^sections\[0\]\.articles\[0\]\.title \(line \d+\): must not be empty$/m);
    const wrong = await runCli(['validate', file, '--lang', 'fr'], secret);
    expect(wrong.code).not.toBe(0);
    expect(wrong.stderr).toMatch(/Allowed choices are en, ja, ko/);
  });

  it('refuses a link with CR/LF, a tab or a space in it, naming its path', async () => {
    const data = issue201Json();
    data.sections[0].articles[0].url = 'https://news.example/a\r\nSet-Cookie: session=evil';
    data.footer.links[0].url = 'https://news.example/\tfooter';
    data.photo.url = 'https://news.example/photo of the month';
    data.lead.image.src = 'images/201/forum\n.jpg';
    const file = join(out, 'crlf.json');
    await writeFile(file, JSON.stringify(data));
    const run = await runCli(['validate', file], secret);
    expect(run.code).toBe(1);
    expect(run.stderr.trim().split('\n')).toHaveLength(4);
    const why = 'must not contain spaces or control characters (encode a space as %20)';
    // The desk's {path, message} words; the CLI adds the article's title and the line to each.
    const problems = (() => {
      try {
        parseIssue(data);
      } catch (err) {
        return (err as IssueError).problems.map((p) => `${p.path}: ${p.message}`);
      }
      return [];
    })();
    expect(problems.sort()).toEqual(
      [
        `sections[0].articles[0].url: ${why}`,
        `footer.links[0].url: ${why}`,
        `photo.url: ${why}`,
        `lead.image.src: ${why}`,
      ].sort(),
    );
  });

  it('keeps articles named like built-in links (photo, footer-1) apart from those links', async () => {
    const data = issue201Json();
    data.sections[0].articles[0].id = 'photo';
    data.sections[0].articles[1].id = 'footer-1';
    const file = join(out, 'ids.json');
    await writeFile(file, JSON.stringify(data));
    expect(await runCli(['validate', file], secret)).toMatchObject({ code: 0, stdout: 'ok\n' });
    const issue = parseIssue(data);
    const links = collectLinks(issue);
    // Each click goes where its own link points: the article's page, never the photo's or the footer's.
    expect(links.photo).toBe(issue.sections[0]?.articles[0]?.url);
    expect(links['footer-1']).toBe(issue.sections[0]?.articles[1]?.url);
    expect(links._photo).toBe(issue.photo?.url);
    expect(links['_footer-1']).toBe(issue.footer.links[0]?.url);
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
