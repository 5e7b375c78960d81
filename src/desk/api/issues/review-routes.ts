import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { createDeskNotifier } from '../../../accounts/desk-notices.ts';
import { personalize } from '../../../compose/personalize.ts';
import { compileIssue } from '../../../compose/render.ts';
import { SAMPLE_READER } from '../../../compose/sample-reader.ts';
import { withStandIns } from '../../../issue/drafts/placeholder.ts';
import type { StoredIssue } from '../../../issue/issue-store.ts';
import { refusal, wordsFor } from '../caller-language.ts';
import type { DeskDeps, DeskEnv } from '../desk-deps.ts';
import { ANY_ROLE, audit, INVALID, json, MISSING, REFUSALS, secured } from '../route-kit.ts';
import { ChecksAnswer, ErrorAnswer, NumberParam, PreviewQuery, StateAnswer } from '../schemas.ts';
import { deskChecks } from './desk-checks.ts';
import { issueNumber, settledState, storedIssue } from './issue-workflow.ts';
import { createLinkCheckRuns, LINK_CHECK_RUNS } from './link-check-runs.ts';

/** 429 when the caller started too many link-check runs (see createLinkCheckRuns). */
const TOO_MANY_CHECKS = {
  429: json(
    ErrorAnswer,
    `The caller started ${LINK_CHECK_RUNS.points} link checks within ${LINK_CHECK_RUNS.seconds / 60} minutes; \`Retry-After\` says when to try again`,
  ),
};

const reviewRoute = createRoute({
  method: 'post',
  path: '/issues/{number}/review',
  summary: 'Ask for review (draft → in_review)',
  ...secured(...ANY_ROLE),
  request: { params: NumberParam },
  responses: {
    200: json(StateAnswer, 'In review'),
    409: json(ErrorAnswer, 'The issue is not a draft'),
    ...MISSING,
    ...REFUSALS,
  },
});

const approveRoute = createRoute({
  method: 'post',
  path: '/issues/{number}/approve',
  summary: 'Approve the issue under review (editor); refused while a check fails at level error',
  ...secured('editor'),
  request: { params: NumberParam },
  responses: {
    200: json(StateAnswer, 'Approved'),
    409: json(ErrorAnswer, 'Not in review, a check fails, or (DESK_FOUR_EYES) the approver saved it last'),
    ...TOO_MANY_CHECKS,
    ...MISSING,
    ...REFUSALS,
  },
});

const checksRoute = createRoute({
  method: 'get',
  path: '/issues/{number}/checks',
  summary:
    'Every pre-send check, links and remote images fetched (private addresses refused; one run per issue at a time, reused for a minute)',
  ...secured(...ANY_ROLE),
  request: { params: NumberParam },
  responses: { 200: json(ChecksAnswer, 'The findings'), ...TOO_MANY_CHECKS, ...MISSING, ...REFUSALS },
});

const previewRoute = createRoute({
  method: 'get',
  path: '/issues/{number}/preview',
  summary: 'The mail as a sample reader gets it (HTML or text)',
  ...secured(...ANY_ROLE),
  request: { params: NumberParam, query: PreviewQuery },
  responses: {
    200: {
      content: { 'text/html': { schema: z.string() }, 'text/plain': { schema: z.string() } },
      description: 'The mail',
    },
    ...MISSING,
    ...INVALID,
    ...REFUSALS,
  },
});

/** The mail's HTML runs no script and loads nothing but images, even opened on the desk's origin. */
const PREVIEW_CSP = "sandbox; default-src 'none'; img-src https: http: data:; style-src 'unsafe-inline'";

/** Review, approval, checks and preview of an issue. */
export function reviewRoutes(api: OpenAPIHono<DeskEnv>, deps: DeskDeps): void {
  const locale = deps.config.DEFAULT_LOCALE;
  const load = (text: string) => deps.issues.get(issueNumber(text) ?? 0, locale);
  const missing = (text: string | number) =>
    refusal('no-issue', { number: text }, `There is no issue ${text}.`);
  const linkChecks = createLinkCheckRuns(deps);
  const notices = createDeskNotifier(deps);
  /** Records the step in the issue's history and mails who is next, without waiting for the mail. */
  const told = async (c: Context<DeskEnv>, stored: StoredIssue | null, step: 'review' | 'approve') => {
    const by = c.get('caller').id;
    const n = stored?.number ?? 0;
    await deps.issueEvents.add(n, locale, { by, kind: step });
    const name = (await deps.users.get(by))?.name ?? by;
    const values = { title: stored?.subject ?? '', name };
    const [kind, role] =
      step === 'review' ? (['reviewRequested', 'editor'] as const) : (['approved', 'sender'] as const);
    notices.notify(kind, { role }, n, values, by).catch((err) => deps.log(`desk notice failed: ${err}`));
  };
  /** Every check of a stored issue, its links fetched, or the seconds until the caller may fetch again. */
  const allChecks = async (c: Context<DeskEnv>, stored: StoredIssue) => {
    const issue = storedIssue(stored.json);
    const key = {
      issue: `${stored.number}:${stored.locale}`,
      revision: stored.revision,
      caller: c.get('caller').id,
    };
    const [local, links] = await Promise.all([deskChecks(deps, issue), linkChecks(key, issue)]);
    return links.ok ? { ok: true as const, checks: [...local, ...links.checks] } : links;
  };
  const tooMany = (c: Context<DeskEnv>, retryAfter: number) => {
    c.header('Retry-After', String(retryAfter));
    const error = `Links were checked too often; try again in ${retryAfter} s.`;
    return c.json(refusal('links-throttled', { seconds: retryAfter }, error), 429);
  };

  api.openapi(reviewRoute, async (c) => {
    const { number } = c.req.valid('param');
    const moved = await deps.issues.move(Number(number), locale, 'in_review', ['draft', 'in_review']);
    if (moved.status === 'missing') return c.json(missing(number), 404);
    if (moved.status === 'refused') {
      const error = `Issue ${number} is ${moved.state}, not a draft.`;
      return c.json(refusal('not-draft', { number, issueState: moved.state }, error), 409);
    }
    if (moved.before !== 'in_review') {
      await audit(deps, c, 'issue.review', `issue:${number}`);
      await told(c, await load(number), 'review');
    }
    return c.json({ state: 'in_review' as const }, 200);
  });

  api.openapi(approveRoute, async (c) => {
    const { number } = c.req.valid('param');
    const stored = await load(number);
    if (!stored) return c.json(missing(number), 404);
    const state = await settledState(deps, stored);
    if (state === 'approved') return c.json({ state }, 200);
    if (state !== 'in_review') {
      const error = `Issue ${number} is ${state}; ask for review first.`;
      return c.json(refusal('not-in-review', { number, issueState: state }, error), 409);
    }
    const caller = c.get('caller');
    if (deps.config.DESK_FOUR_EYES && stored.updatedBy === caller.id) {
      const error = `Four eyes: ${caller.id} saved the last revision; someone else approves.`;
      return c.json(refusal('four-eyes', { user: caller.id }, error), 409);
    }
    const all = await allChecks(c, stored);
    if (!all.ok) return tooMany(c, all.retryAfter);
    const failing = all.checks.filter((k) => k.level === 'error');
    if (failing.length > 0) {
      const first = failing[0];
      const error = `${failing.length} check(s) fail: ${first?.path ?? first?.id}: ${first?.message}`;
      return c.json(refusal('checks-fail', { count: failing.length }, error), 409);
    }
    // The revision checked is the one approved: a save in between makes this refuse.
    const moved = await deps.issues.move(Number(number), locale, 'approved', ['in_review'], {
      revision: stored.revision,
    });
    if (moved.status !== 'ok') {
      const error = `Issue ${number} changed while it was being checked; try again.`;
      return c.json(refusal('changed', { number }, error), 409);
    }
    await audit(deps, c, 'issue.approve', `issue:${number}@${stored.revision}`);
    await told(c, stored, 'approve');
    return c.json({ state: 'approved' as const }, 200);
  });

  api.openapi(checksRoute, async (c) => {
    const { number } = c.req.valid('param');
    const stored = await load(number);
    if (!stored) return c.json(missing(number), 404);
    const all = await allChecks(c, stored);
    if (!all.ok) return tooMany(c, all.retryAfter);
    const words = wordsFor(c);
    return c.json({ checks: all.checks.map((k) => ({ ...k, message: words(k) })) }, 200);
  });

  api.openapi(previewRoute, async (c) => {
    const { number } = c.req.valid('param');
    const { format } = c.req.valid('query');
    const stored = await load(number);
    if (!stored) return c.json(missing(number), 404);
    const compiled = await compileIssue(withStandIns(storedIssue(stored.json)), {
      publicUrl: deps.config.PUBLIC_URL,
      tracking: false,
    });
    const mail = personalize(compiled, SAMPLE_READER);
    c.header('Content-Security-Policy', PREVIEW_CSP);
    return format === 'text' ? c.text(mail.text, 200) : c.html(mail.html, 200);
  });
}
