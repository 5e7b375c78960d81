import { describe, expect, it } from 'vitest';
import { IssueError, parseIssueJson } from '../../src/issue/load.ts';

function problemsOf(source: string): string[] {
  try {
    parseIssueJson(source);
  } catch (err) {
    if (err instanceof IssueError) return err.message.split('\n');
    throw err;
  }
  throw new Error('expected the issue to be refused');
}

describe('parseIssueJson', () => {
  it('names the line and column of a JSON syntax error', () => {
    expect(problemsOf('{\n  "number": 201,\n  "month": "2021-11"\n  "locale": "ja"\n}')).toEqual([
      expect.stringMatching(/^invalid JSON at line 4, column 3: /),
    ]);
  });
});
