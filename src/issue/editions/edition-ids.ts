import type { Problem } from '../problem.ts';
import { articleIds } from './translation.ts';

/**
 * The article-id cross-check of an edition against the default edition (clicks and the ranking add
 * up across editions by id): an id the default edition lacks is an error at that id's path; an
 * article of the default edition the edition leaves out is a warning.
 */
export function editionIdProblems(
  base: unknown,
  edition: unknown,
): { errors: Problem[]; warnings: Problem[] } {
  const own = new Set(articleIds(base).values());
  const mine = articleIds(edition);
  const present = new Set(mine.values());
  const errors: Problem[] = [...mine]
    .filter(([, id]) => !own.has(id))
    .map(([at, id]) => ({
      path: `${at}.id`,
      code: 'unknown-article',
      params: { id },
      message: `"${id}" is not an article of the default edition; an edition translates its articles and adds none`,
    }));
  const warnings: Problem[] = [...articleIds(base)]
    .filter(([, id]) => !present.has(id))
    .map(([at, id]) => ({
      path: at,
      code: 'missing-article',
      params: { id },
      message: `leaves out the default edition's article "${id}"`,
    }));
  return { errors, warnings };
}
