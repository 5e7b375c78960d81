import { GMAIL_CLIP_BYTES, lintIssue } from '../../../compose/lint.ts';
import { compileIssue } from '../../../compose/render.ts';
import { GazetteError } from '../../../errors.ts';
import type { Check } from '../../../issue/check.ts';
import { placeholderPaths } from '../../../issue/drafts/placeholder.ts';
import { PLACEHOLDER_MARK } from '../../../issue/drafts/placeholder-mark.ts';
import { checkLocalImages } from '../../../issue/local-images.ts';
import type { Issue } from '../../../issue/schema.ts';
import { fillRanking } from '../../../report/fill-ranking.ts';
import type { DeskDeps } from '../desk-deps.ts';

/** The lint's findings as checks; only an HTML over Gmail's clipping limit is an error. */
async function lintChecks(issue: Issue, publicUrl: string): Promise<Check[]> {
  const { html } = await compileIssue(issue, { publicUrl });
  const clipped = Buffer.byteLength(html) > GMAIL_CLIP_BYTES;
  return lintIssue(issue, html).map((w) => ({
    id: `${w.code}${w.path ? `:${w.path}` : ''}`,
    level: w.code === 'size' && clipped ? 'error' : 'warning',
    code: w.reason,
    params: w.params,
    message: w.message,
    ...(w.path ? { path: w.path } : {}),
  }));
}

/**
 * Text `gazette new` left to be written: an error each, so a scaffold cannot be approved as it is. A
 * placeholder image source is one error saying what to do (the missing-file check leaves it alone).
 */
function placeholderChecks(issue: Issue): Check[] {
  return placeholderPaths(issue).map((path) => ({
    id: `placeholder:${path}`,
    level: 'error',
    path,
    code: path.endsWith('image.src') ? 'placeholder-image' : 'placeholder',
    params: {},
    message: path.endsWith('image.src')
      ? `still holds the placeholder ${PLACEHOLDER_MARK}: upload or pick this month's image, or remove it`
      : `still holds the placeholder ${PLACEHOLDER_MARK}: write the real text`,
  }));
}

/** A warning when the issue already went to someone (a scheduled or sent send that was not a test). */
async function sentChecks(deps: Pick<DeskDeps, 'sends'>, issue: Issue): Promise<Check[]> {
  const ids = await deps.sends.ids(500);
  const records = await Promise.all(ids.map((id) => deps.sends.get(id)));
  const earlier = records.filter(
    (r) => r && r.issue === issue.number && !r.testTo && r.state !== 'cancelled',
  );
  return earlier.map((r) => ({
    id: `already-sent:${r?.id}`,
    level: 'warning' as const,
    code: 'already-sent',
    params: { number: issue.number, list: r?.list ?? '', send: r?.id ?? '' },
    message: `No.${issue.number} already went (or is going) to list ${r?.list} in send ${r?.id}.`,
  }));
}

/**
 * An error when the ranking is to come from an issue nobody has clicked yet (or that was never sent)
 * and lists no items to fall back on: the send would refuse it, so approval should not wait for that.
 */
async function rankingChecks(deps: Pick<DeskDeps, 'sends' | 'clicks'>, issue: Issue): Promise<Check[]> {
  try {
    await fillRanking({ sends: deps.sends, clicks: deps.clicks, note: () => undefined }, issue);
    return [];
  } catch (err) {
    if (!(err instanceof GazetteError) || err.code !== 'E_RANKING') throw err;
    const message = err.message.replace(/^ranking\.from: /, '');
    const from = issue.ranking?.from ?? 0;
    const code = /not been sent/.test(message) ? 'ranking-unsent' : 'ranking-unclicked';
    return [{ id: 'ranking-empty', level: 'error', path: 'ranking.from', code, params: { from }, message }];
  }
}

/**
 * The desk's pre-send checks of an issue that fetch nothing: the lint (size against Gmail's clip, alt
 * texts, subject and preheader length), placeholders, local images missing from or outside the images
 * folder, a ranking with nothing to rank, earlier sends. The links are fetched by createLinkCheckRuns.
 */
export async function deskChecks(
  deps: Pick<DeskDeps, 'config' | 'sends' | 'clicks' | 'imagesDir'>,
  issue: Issue,
): Promise<Check[]> {
  const all = await Promise.all([
    placeholderChecks(issue),
    lintChecks(issue, deps.config.PUBLIC_URL),
    checkLocalImages(issue, deps.imagesDir ?? 'issues/images'),
    rankingChecks(deps, issue),
    sentChecks(deps, issue),
  ]);
  return all.flat();
}
