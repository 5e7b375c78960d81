import type { Check } from '../api/issues.ts';

/** One line of the checks list: where (a field, or an article and some of its fields), the level and the words. */
export interface CheckLine {
  key: string;
  level: Check['level'];
  where: string;
  message: string;
}

/** The article (or photo) a field belongs to, and the field inside it: "sections[0].articles[2]" and "title". */
const IN_ARTICLE = /^(lead|photo|sections\[\d+\]\.articles\[\d+\])\.(.+)$/;

/**
 * The checks as lines to read: checks that say the same thing about several fields of one article
 * (a fresh scaffold's placeholders: title, summary, url…) become one line naming the article and its
 * fields, "lead (title, summary.0, url): …", so that a new issue lists a dozen lines, not forty.
 * A check about one field reads "path: message" as before; the order is kept.
 */
export function checkLines(checks: Check[]): CheckLine[] {
  const lines: (CheckLine & { fields: string[]; article: string })[] = [];
  for (const c of checks) {
    const [, article = '', field = ''] = (c.path && IN_ARTICLE.exec(c.path)) || [];
    const same = article
      ? lines.find((l) => l.article === article && l.message === c.message && l.level === c.level)
      : undefined;
    if (same) {
      same.fields.push(field);
      same.key += `|${c.id}`;
      continue;
    }
    lines.push({
      key: c.id,
      level: c.level,
      where: c.path ?? '',
      message: c.message,
      article,
      fields: [field],
    });
  }
  return lines.map(({ key, level, where, message, article, fields }) => ({
    key,
    level,
    message,
    where: fields.length > 1 ? `${article} (${fields.join(', ')})` : where,
  }));
}
