import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { IssueError, loadIssue, parseIssue, parseIssueJson } from '../../src/issue/load.ts';
import { issue201Json } from '../helpers/issues.ts';

/** The problems found in `data` as the desk API returns them (`{path, message}`), one `path: message` line each. */
function problemsOf(data: unknown): string[] {
  try {
    parseIssue(data);
  } catch (err) {
    if (err instanceof IssueError) return err.problems.map((p) => `${p.path}: ${p.message}`);
    throw err;
  }
  throw new Error('expected the issue to be refused');
}

describe('issue validation', () => {
  it('accepts issue No.201', () => {
    expect(parseIssue(issue201Json()).number).toBe(201);
  });

  it('names a missing number', () => {
    const data = issue201Json();
    delete data.number;
    expect(problemsOf(data)).toEqual(['number: is required']);
  });

  it('names wrong types in words', () => {
    const data = issue201Json();
    data.number = '201';
    data.sections[0].articles[1].summary = 'one paragraph';
    expect(problemsOf(data)).toEqual([
      'number: must be a number, not text "201"',
      'sections[0].articles[1].summary: must be a list [ … ], not text "one paragraph"',
    ]);
  });

  it('refuses javascript: and other non-http links', () => {
    const data = issue201Json();
    data.sections[0].articles[0].url = 'javascript:alert(1)';
    data.footer.links[1].url = 'data:text/html,hi';
    expect(problemsOf(data)).toEqual([
      'sections[0].articles[0].url: must be an https:// or http:// link',
      'footer.links[1].url: must be an https:// or http:// link',
    ]);
  });

  it('requires alt text on an image', () => {
    const data = issue201Json();
    delete data.photo.image.alt;
    expect(problemsOf(data)).toEqual(['photo.image.alt: is required']);
  });

  it('refuses an unknown locale', () => {
    const data = issue201Json();
    data.locale = 'fr';
    expect(problemsOf(data)).toEqual(['locale: must be one of ja, en, ko, zh']);
  });

  it('refuses an empty section', () => {
    const data = issue201Json();
    data.sections[0].articles = [];
    expect(problemsOf(data)).toEqual(['sections[0].articles: must have at least one article']);
  });

  it('refuses a misspelt field and a duplicate article id', () => {
    const data = issue201Json();
    data.lead.sumary = data.lead.summary;
    data.sections[0].articles[2].id = 'global-forum-2021';
    expect(problemsOf(data)).toEqual([
      'lead: unknown field "sumary" (check the spelling)',
      'sections[0].articles[2].id: "global-forum-2021" is already used by lead; article ids must be unique',
    ]);
  });

  it('refuses image sources with a scheme other than http(s), and accepts relative paths', () => {
    const data = issue201Json();
    data.lead.image.src = 'javascript:alert(1)';
    expect(problemsOf(data)).toEqual([
      'lead.image.src: must be an https:// or http:// URL, or a path relative to PUBLIC_URL',
    ]);
    data.lead.image.src = 'images/201/forum.jpg';
    expect(parseIssue(data).lead.image?.src).toBe('images/201/forum.jpg');
  });

  it('names the article by its title and the line in the file, keeping the path words', () => {
    const source = JSON.stringify(issue201Json(), null, 2).replace(
      '"https://japanese.seoul.go.kr/lima-smart-city/"',
      '"javascript:alert(1)"',
    );
    const line = source.split('\n').findIndex((l) => l.includes('javascript:')) + 1;
    expect(() => parseIssueJson(source)).toThrow(
      `記事「ソウル市、ペルーの首都リマと…」 (sections[0].articles[0], line ${line}): url must be an https:// or http:// link`,
    );
    const err = (() => {
      try {
        parseIssueJson(source);
      } catch (e) {
        return e as IssueError;
      }
    })();
    expect(err?.problems).toEqual([
      expect.objectContaining({
        path: 'sections[0].articles[0].url',
        message: 'must be an https:// or http:// link',
      }),
    ]);
  });

  it('gives a trailing comma its line and column', () => {
    expect(() => parseIssueJson('{\n  "number": 201,\n  "links": [1, 2,],\n  "x": 1\n}')).toThrow(
      /^invalid JSON at line 3, column 18: .*no comma after the last item/,
    );
    expect(() => parseIssueJson('{\n  "number": 201,\n}')).toThrow(/^invalid JSON at line 3, column 1: /);
  });

  it('names the line and column of a JSON syntax error', () => {
    expect(() => parseIssueJson('{\n  "number": 201,\n  "month": "2021-11"\n  "locale": "ja"\n}')).toThrow(
      /^invalid JSON at line 4, column 3: /,
    );
  });

  it('reports a malformed file by name, line and column, and a missing file in words', async () => {
    const file = join(tmpdir(), `gazette-bad-${process.pid}.json`);
    await writeFile(file, '{ "number": 201, }');
    await expect(loadIssue(file)).rejects.toThrow(/^invalid JSON at line 1, column 18: /);
    await expect(loadIssue(`${file}.missing`)).rejects.toThrow(/: no such file$/);
  });
});
