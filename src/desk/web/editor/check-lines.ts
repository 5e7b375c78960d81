import type { Check } from '../api/issues.ts';

/**
 * One line of the checks list: a check, or several checks that say the same about fields of one
 * article (`article` and its `fields`); `path` is the field to go to (the first one).
 */
export interface CheckLine {
  key: string;
  level: Check['level'];
  code: string;
  params: Check['params'];
  message: string;
  path: string;
  article: string;
  fields: string[];
}

/** The article (or photo) a field belongs to, and the field inside it: "sections[0].articles[2]" and "title". */
const IN_ARTICLE = /^(lead|photo|sections\[\d+\]\.articles\[\d+\])\.(.+)$/;

/**
 * The checks as lines to read: checks with the same code and values about several fields of one
 * article (a fresh scaffold's placeholders: title, summary, url…) become one line naming the article
 * and its fields, so that a new issue lists a dozen lines, not forty. The order is kept.
 */
export function checkLines(checks: Check[]): CheckLine[] {
  const lines: CheckLine[] = [];
  const same = (a: Check['params'], b: Check['params']) => JSON.stringify(a) === JSON.stringify(b);
  for (const c of checks) {
    const [, article = '', field = ''] = (c.path && IN_ARTICLE.exec(c.path)) || [];
    const line = article
      ? lines.find(
          (l) =>
            l.article === article && l.code === c.code && l.level === c.level && same(l.params, c.params),
        )
      : undefined;
    if (line) {
      line.fields.push(field);
      line.key += `|${c.id}`;
      continue;
    }
    lines.push({
      key: c.id,
      level: c.level,
      code: c.code,
      params: c.params,
      message: c.message,
      path: c.path ?? '',
      article,
      fields: article ? [field] : [],
    });
  }
  return lines;
}
