import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { blankIssue } from '../../../issue/drafts/blank-issue.ts';
import { scaffoldIssue } from '../../../issue/drafts/scaffold.ts';
import { hasArticleClicks } from '../../../report/fill-ranking.ts';
import { displayNames } from '../accounts/display-names.ts';
import { refusal, wordsFor } from '../caller-language.ts';
import type { DeskDeps, DeskEnv } from '../desk-deps.ts';
import { ANY_ROLE, audit, INVALID, json, MISSING, REFUSALS, secured, UNREADABLE } from '../route-kit.ts';
import {
  CreatedIssueAnswer,
  CreateIssue,
  ErrorAnswer,
  IfMatchHeader,
  IssueAnswer,
  IssueJson,
  IssueListAnswer,
  NumberParam,
  RevisionsAnswer,
  SavedAnswer,
  StaleAnswer,
  ValidationAnswer,
} from '../schemas.ts';
import { deskChecks } from './desk-checks.ts';
import { editionSummaries } from './edition-state.ts';
import { issueNumber, parseBody, settledState, storedIssue } from './issue-workflow.ts';

const noIssue = (n: number) => refusal('no-issue', { number: n }, `There is no issue ${n}.`);
const exists = (n: number) => refusal('exists', { number: n }, `Issue ${n} exists already.`);

const WRITERS = ANY_ROLE;

const listRoute = createRoute({
  method: 'get',
  path: '/issues',
  summary: 'The issues of the default edition, newest first',
  ...secured(...ANY_ROLE),
  responses: { 200: json(IssueListAnswer, 'The issues'), ...REFUSALS },
});

const createIssueRoute = createRoute({
  method: 'post',
  path: '/issues',
  summary: 'Store a new issue, scaffold the next one from issue `from`, or start a blank first one',
  ...secured(...WRITERS),
  request: { body: { ...json(CreateIssue, 'An issue, or the issue to scaffold from'), required: true } },
  responses: {
    201: json(CreatedIssueAnswer, 'Stored at revision 1, state draft'),
    409: json(ErrorAnswer, 'An issue with this number exists'),
    ...MISSING,
    ...INVALID,
    ...UNREADABLE,
    ...REFUSALS,
  },
});

const getRoute = createRoute({
  method: 'get',
  path: '/issues/{number}',
  summary: 'An issue, its state, revision (for If-Match) and checks (no links fetched; see /checks)',
  ...secured(...ANY_ROLE),
  request: { params: NumberParam },
  responses: { 200: json(IssueAnswer, 'The issue'), ...MISSING, ...REFUSALS },
});

const putRoute = createRoute({
  method: 'put',
  path: '/issues/{number}',
  summary: 'Save a new revision; an approved issue returns to draft',
  ...secured(...WRITERS),
  request: {
    params: NumberParam,
    headers: IfMatchHeader,
    body: { ...json(IssueJson, 'The whole issue JSON'), required: true },
  },
  responses: {
    200: json(SavedAnswer, 'Saved'),
    409: json(StaleAnswer, 'Someone saved in between (or the issue is scheduled or sent)'),
    422: json(ValidationAnswer, 'Invalid issue: the paths and words of `gazette validate`'),
    428: json(ErrorAnswer, 'If-Match is required'),
    ...MISSING,
    ...UNREADABLE,
    ...REFUSALS,
  },
});

const revisionsRoute = createRoute({
  method: 'get',
  path: '/issues/{number}/revisions',
  summary: 'Every save of the issue, oldest first',
  ...secured(...ANY_ROLE),
  request: { params: NumberParam },
  responses: { 200: json(RevisionsAnswer, 'The revisions'), ...MISSING, ...REFUSALS },
});

/** `If-Match: 3` or `If-Match: "3"` (an ETag); null when absent or not a revision. */
export function ifMatch(c: Context): number | null {
  const value = c.req
    .header('if-match')
    ?.trim()
    .replace(/^W\//, '')
    .replace(/^"(.*)"$/, '$1');
  return value && /^\d{1,9}$/.test(value) ? Number(value) : null;
}

const iso = (ms: number) => new Date(ms).toISOString();

/** The issue store's routes: list, create, read, save (If-Match), revisions. */
export function issueRoutes(api: OpenAPIHono<DeskEnv>, deps: DeskDeps): void {
  const locale = deps.config.DEFAULT_LOCALE;

  api.openapi(listRoute, async (c) => {
    const heads = await deps.issues.list(locale);
    const names = await displayNames(
      deps,
      heads.map((h) => h.updatedBy),
    );
    const issues = await Promise.all(
      heads.map(async (h) => ({
        number: h.number,
        subject: h.subject,
        month: h.month,
        state: await settledState(deps, h),
        revision: h.revision,
        updatedAt: iso(h.updatedAt),
        updatedBy: h.updatedBy,
        updatedByName: names.get(h.updatedBy) ?? h.updatedBy,
      })),
    );
    return c.json({ issues }, 200);
  });

  /** Issue `from`'s successor: next month, same sections and footer, ranking from its clicks, placeholders. */
  const scaffold = async (c: Context<DeskEnv>, body: { from: number; number?: number | undefined }) => {
    const previous = await deps.issues.get(body.from, locale);
    if (!previous) {
      return c.json(
        refusal('no-issue', { number: body.from }, `There is no issue ${body.from} to start from.`),
        404,
      );
    }
    // Its ranking comes from the previous issue's clicks only when there are some (issue 18: no dead end).
    const clicked = await hasArticleClicks(deps, body.from);
    const next = scaffoldIssue(storedIssue(previous.json), body.number ?? body.from + 1, { clicked });
    const saved = await deps.issues.create(next, next, c.get('caller').id);
    if (saved.status !== 'ok') return c.json(exists(next.number), 409);
    await audit(deps, c, 'issue.create', `issue:${next.number} from:${body.from}`);
    return c.json({ number: next.number, revision: saved.revision }, 201);
  };

  /** A first issue from the clean template in the default edition's language, dated this month. */
  const blank = async (c: Context<DeskEnv>, number = 1) => {
    const month = new Intl.DateTimeFormat('en-CA', {
      timeZone: deps.config.TZ_DEFAULT,
      year: 'numeric',
      month: '2-digit',
    }).format((deps.clock ?? Date.now)());
    const issue = blankIssue(locale, number, month);
    const saved = await deps.issues.create(issue, issue, c.get('caller').id);
    if (saved.status !== 'ok') return c.json(exists(number), 409);
    await audit(deps, c, 'issue.create', `issue:${number} blank`);
    return c.json({ number, revision: saved.revision }, 201);
  };

  api.openapi(createIssueRoute, async (c) => {
    const body = c.req.valid('json');
    if ('blank' in body) return blank(c, body.number);
    if (!('issue' in body)) return scaffold(c, body);
    const parsed = parseBody(deps, body.issue);
    if (!parsed.ok) return c.json({ errors: parsed.errors }, 422);
    const saved = await deps.issues.create(parsed.issue, body.issue, c.get('caller').id);
    if (saved.status !== 'ok') return c.json(exists(parsed.issue.number), 409);
    await audit(deps, c, 'issue.create', `issue:${parsed.issue.number}`);
    return c.json({ number: parsed.issue.number, revision: saved.revision }, 201);
  });

  api.openapi(getRoute, async (c) => {
    const n = issueNumber(c.req.valid('param').number) ?? 0;
    const stored = await deps.issues.get(n, locale);
    if (!stored) return c.json(noIssue(n), 404);
    const words = wordsFor(c);
    const checks = (await deskChecks(deps, storedIssue(stored.json))).map((k) => ({
      ...k,
      message: words(k),
    }));
    c.header('ETag', `"${stored.revision}"`);
    const state = await settledState(deps, stored);
    const editions = await editionSummaries(deps, n);
    return c.json(
      { issue: stored.json as Record<string, unknown>, state, revision: stored.revision, checks, editions },
      200,
    );
  });

  api.openapi(putRoute, async (c) => {
    const n = issueNumber(c.req.valid('param').number) ?? 0;
    const expected = ifMatch(c);
    if (expected === null) {
      return c.json(
        refusal('if-match', {}, 'Send If-Match with the revision you edited (GET gives it).'),
        428,
      );
    }
    const body = c.req.valid('json');
    const parsed = parseBody(deps, body, n);
    if (!parsed.ok) return c.json({ errors: parsed.errors }, 422);
    const saved = await deps.issues.update(parsed.issue, body, c.get('caller').id, expected);
    switch (saved.status) {
      case 'missing':
        return c.json(
          refusal('no-issue', { number: n }, `There is no issue ${n}; create it with POST /issues.`),
          404,
        );
      case 'stale':
      case 'exists':
        return c.json(
          {
            ...refusal('stale', { number: n }, `Issue ${n} was saved by someone else in between.`),
            revision: saved.revision,
          },
          409,
        );
      case 'locked': {
        const current = (await deps.issues.get(n, locale))?.revision ?? expected;
        return c.json(
          {
            ...refusal(
              'locked',
              { number: n, issueState: saved.state },
              `Issue ${n} is ${saved.state}; it can no longer be edited.`,
            ),
            revision: current,
          },
          409,
        );
      }
    }
    await audit(deps, c, 'issue.save', `issue:${n}@${saved.revision}`);
    c.header('ETag', `"${saved.revision}"`);
    return c.json({ revision: saved.revision, state: saved.state }, 200);
  });

  api.openapi(revisionsRoute, async (c) => {
    const n = issueNumber(c.req.valid('param').number) ?? 0;
    const revisions = await deps.issues.revisions(n, locale);
    if (revisions.length === 0) return c.json(noIssue(n), 404);
    return c.json({ revisions: revisions.map((r) => ({ ...r, at: iso(r.at) })) }, 200);
  });
}
