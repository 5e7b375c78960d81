import type { Check } from '../../../issue/check.ts';
import { editionIdProblems } from '../../../issue/edition-ids.ts';
import type { Problem } from '../../../issue/problem.ts';
import { Issue, LOCALES } from '../../../issue/schema.ts';
import { untranslatedPaths } from '../../../issue/translation.ts';
import type { DeskDeps } from '../desk-deps.ts';
import type { EditionSummary } from '../schemas.ts';
import { deskChecks } from './desk-checks.ts';
import { settledState } from './issue-workflow.ts';

/** The locales a number may have editions in, the default edition's first. */
export function editionLocales(deps: Pick<DeskDeps, 'config'>): string[] {
  const first = deps.config.DEFAULT_LOCALE;
  return [first, ...LOCALES.filter((l) => l !== first)];
}

/** Every edition of issue `n` with its state (`missing` when absent), the default edition first. */
export async function editionSummaries(
  deps: Pick<DeskDeps, 'config' | 'issues' | 'sends'>,
  n: number,
): Promise<EditionSummary[]> {
  return Promise.all(
    editionLocales(deps).map(async (locale) => {
      const stored = await deps.issues.get(n, locale);
      if (!stored) return { locale, state: 'missing' as const, revision: null };
      return { locale, state: await settledState(deps, stored), revision: stored.revision };
    }),
  );
}

const asCheck = (level: Check['level']) => (p: Problem) => ({
  id: `${p.code}:${p.path}`,
  level,
  code: p.code,
  params: p.params,
  message: p.message,
  path: p.path,
});

/**
 * The checks of a translated edition: each text still empty where the default edition has one (an
 * error, so it is not approved half translated), the article-id cross-check, and once every text is
 * written the default edition's own checks (lint, images, ranking).
 */
export async function editionChecks(
  deps: Pick<DeskDeps, 'config' | 'sends' | 'clicks' | 'imagesDir'>,
  base: unknown,
  edition: unknown,
): Promise<Check[]> {
  const untranslated: Check[] = untranslatedPaths(base, edition).map((path) => ({
    id: `untranslated:${path}`,
    level: 'error',
    code: 'untranslated',
    params: {},
    message: 'is not translated yet',
    path,
  }));
  const ids = editionIdProblems(base, edition);
  const parsed = Issue.safeParse(edition);
  const own = parsed.success ? await deskChecks(deps, parsed.data) : [];
  return [
    ...untranslated,
    ...ids.errors.map(asCheck('error')),
    ...ids.warnings.map(asCheck('warning')),
    ...own,
  ];
}

/**
 * The editions of issue `n` besides the default one that a send takes (approved, or scheduled or sent
 * to another list already) with their parsed JSON, and the locales of those left out (not approved).
 */
export async function sendableEditions(deps: Pick<DeskDeps, 'config' | 'issues' | 'sends'>, n: number) {
  const going: { locale: string; revision: number; issue: Issue }[] = [];
  const leftOut: string[] = [];
  for (const locale of editionLocales(deps).slice(1)) {
    const stored = await deps.issues.get(n, locale);
    if (!stored) continue;
    const state = await settledState(deps, stored);
    if (state === 'approved' || state === 'scheduled' || state === 'sent') {
      going.push({ locale, revision: stored.revision, issue: Issue.parse(stored.json) });
    } else leftOut.push(locale);
  }
  return { going, leftOut };
}

/** Marks the editions a send took as scheduled by it (locked against edits, settled with the send). */
export async function markEditionsScheduled(
  deps: Pick<DeskDeps, 'issues'>,
  n: number,
  going: { locale: string; revision: number }[],
  sendId: string,
): Promise<void> {
  for (const e of going) {
    await deps.issues.move(n, e.locale, 'scheduled', ['approved', 'scheduled', 'sent'], {
      revision: e.revision,
      sendId,
    });
  }
}
