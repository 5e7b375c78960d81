import { describe, expect, it } from 'vitest';
import type { Check } from '../../src/desk/api/schemas.ts';
import { checkLines } from '../../src/desk/web/editor/check-lines.ts';

const TODO = 'still holds the placeholder [[TODO]]: write the real text';
const check = (path: string, message = TODO, level: Check['level'] = 'error'): Check => ({
  id: `placeholder:${path}`,
  level,
  message,
  path,
});

describe('the checks as lines to read', () => {
  it("puts one article's fields that say the same on one line, and keeps every other check as it was", () => {
    const lines = checkLines([
      check('subject'),
      check('lead.title'),
      check('lead.summary[0]'),
      check(
        'lead.image.src',
        "still holds the placeholder [[TODO]]: upload or pick this month's image, or remove it",
      ),
      check('lead.url'),
      check('sections[0].articles[1].title'),
      check('sections[0].articles[1].url'),
      check('sections[0].articles[2].title'),
      check('lead.url', 'http:// link: prefer https://', 'warning'),
    ]);
    expect(lines.map((l) => `${l.level} ${l.where}: ${l.message}`)).toEqual([
      `error subject: ${TODO}`,
      `error lead (title, summary[0], url): ${TODO}`,
      "error lead.image.src: still holds the placeholder [[TODO]]: upload or pick this month's image, or remove it",
      `error sections[0].articles[1] (title, url): ${TODO}`,
      `error sections[0].articles[2].title: ${TODO}`,
      'warning lead.url: http:// link: prefer https://',
    ]);
    expect(new Set(lines.map((l) => l.key)).size).toBe(lines.length);
  });

  it('keeps a check without a path', () => {
    expect(checkLines([{ id: 'size', level: 'warning', message: 'HTML is 90 KB' }])).toEqual([
      { key: 'size', level: 'warning', where: '', message: 'HTML is 90 KB' },
    ]);
  });
});
