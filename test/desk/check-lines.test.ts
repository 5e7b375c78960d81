import { describe, expect, it } from 'vitest';
import type { Check } from '../../src/desk/api/schemas.ts';
import { checkLines } from '../../src/desk/web/editor/check-lines.ts';

const TODO = 'still holds the placeholder [[TODO]]: write the real text';
const check = (path: string, code = 'placeholder', level: Check['level'] = 'error'): Check => ({
  id: `${code}:${path}`,
  level,
  code,
  params: {},
  message: TODO,
  path,
});

describe('the checks as lines to read', () => {
  it("puts one article's fields with the same code on one line, and keeps every other check as it was", () => {
    const lines = checkLines([
      check('subject'),
      check('lead.title'),
      check('lead.summary[0]'),
      check('lead.image.src', 'placeholder-image'),
      check('lead.url'),
      check('sections[0].articles[1].title'),
      check('sections[0].articles[1].url'),
      check('sections[0].articles[2].title'),
      check('lead.url', 'link-http', 'warning'),
    ]);
    expect(lines.map((l) => `${l.level} ${l.code} ${l.path} [${l.fields.join(', ')}]`)).toEqual([
      'error placeholder subject []',
      'error placeholder lead.title [title, summary[0], url]',
      'error placeholder-image lead.image.src [image.src]',
      'error placeholder sections[0].articles[1].title [title, url]',
      'error placeholder sections[0].articles[2].title [title]',
      'warning link-http lead.url [url]',
    ]);
    expect(new Set(lines.map((l) => l.key)).size).toBe(lines.length);
  });

  it('keeps a check without a path', () => {
    const size: Check = {
      id: 'size',
      level: 'warning',
      code: 'size-near',
      params: { kb: 90 },
      message: 'HTML is 90 KB',
    };
    expect(checkLines([size])).toEqual([
      {
        key: 'size',
        level: 'warning',
        code: 'size-near',
        params: { kb: 90 },
        message: 'HTML is 90 KB',
        path: '',
        article: '',
        fields: [],
      },
    ]);
  });
});
