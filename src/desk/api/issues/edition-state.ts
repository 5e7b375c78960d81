import type { Check } from '../../../issue/check.ts';
import { editionIdProblems } from '../../../issue/editions/edition-ids.ts';
import { untranslatedPaths } from '../../../issue/editions/translation.ts';
import type { IssueState } from '../../../issue/issue-state.ts';
import type { Problem } from '../../../issue/problem.ts';
import { Issue, LOCALES } from '../../../issue/schema.ts';
import type { DeskDeps } from '../desk-deps.ts';
import type { EditionSummary } from '../schemas.ts';
import { deskChecks } from './desk-checks.ts';
import { settledState } from './issue-workflow.ts';

/** The locales a number may have editions in, the default edition's first. */
function editionLocales(deps: Pick<DeskDeps, 'config'>): string[] {
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

/** An edition a send takes: its locale, the state it was in before the claim, and its parsed JSON. */
export interface ClaimedEdition {
  locale: string;
  before: IssueState;
  issue: Issue;
}

/**
 * Claims for a send the editions of issue `n` besides the default one that are approved (or
 * scheduled or sent to another list already): each moves to `scheduled` at the revision read, so a
 * save in between leaves it out rather than sending words nobody approved. Returns them and the
 * locales left out (not approved); see settleEditions for after the send is made or refused.
 */
export async function claimEditions(
  deps: Pick<DeskDeps, 'config' | 'issues' | 'sends'>,
  n: number,
): Promise<{ going: ClaimedEdition[]; leftOut: string[] }> {
  const going: ClaimedEdition[] = [];
  const leftOut: string[] = [];
  for (const locale of editionLocales(deps).slice(1)) {
    const stored = await deps.issues.get(n, locale);
    if (!stored) continue;
    const state = await settledState(deps, stored);
    const sendable = state === 'approved' || state === 'scheduled' || state === 'sent';
    const claim = sendable
      ? await deps.issues.move(n, locale, 'scheduled', [state], { revision: stored.revision })
      : null;
    if (claim?.status === 'ok') going.push({ locale, before: state, issue: Issue.parse(stored.json) });
    else leftOut.push(locale);
  }
  return { going, leftOut };
}

/**
 * After the send: records its id on each claimed edition (settledState follows the send from
 * there), or, when it was refused (`sendId` null), hands each back the state it had.
 */
export async function settleEditions(
  deps: Pick<DeskDeps, 'issues'>,
  n: number,
  going: ClaimedEdition[],
  sendId: string | null,
): Promise<void> {
  for (const e of going) {
    if (sendId) await deps.issues.move(n, e.locale, 'scheduled', ['scheduled'], { sendId });
    else await deps.issues.move(n, e.locale, e.before, ['scheduled']);
  }
}
