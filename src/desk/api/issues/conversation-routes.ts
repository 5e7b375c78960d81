import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { createDeskNotifier } from '../../../accounts/desk-notices.ts';
import { type IssueEvent, MAX_COMMENT } from '../../../issue/issue-events.ts';
import { displayNames } from '../accounts/display-names.ts';
import { refusal } from '../caller-language.ts';
import type { DeskDeps, DeskEnv } from '../desk-deps.ts';
import { ANY_ROLE, audit, INVALID, json, MISSING, REFUSALS, secured, UNREADABLE } from '../route-kit.ts';
import {
  Comment,
  CommentBody,
  CommentsAnswer,
  ErrorAnswer,
  NumberParam,
  StateAnswer,
  TimelineAnswer,
} from '../schemas.ts';
import { issueNumber } from './issue-workflow.ts';

const requestChangesRoute = createRoute({
  method: 'post',
  path: '/issues/{number}/request-changes',
  summary: 'Send the issue under review back to draft with a comment (editor)',
  ...secured('editor'),
  request: { params: NumberParam, body: { ...json(CommentBody, 'Why'), required: true } },
  responses: {
    200: json(StateAnswer, 'Back to draft'),
    409: json(ErrorAnswer, 'The issue is not in review'),
    ...MISSING,
    ...INVALID,
    ...UNREADABLE,
    ...REFUSALS,
  },
});

const commentsRoute = createRoute({
  method: 'get',
  path: '/issues/{number}/comments',
  summary: 'The comments on the issue and its change requests, oldest first',
  ...secured(...ANY_ROLE),
  request: { params: NumberParam },
  responses: { 200: json(CommentsAnswer, 'The comments'), ...MISSING, ...REFUSALS },
});

const addCommentRoute = createRoute({
  method: 'post',
  path: '/issues/{number}/comments',
  summary: `Comment on the issue (plain text, at most ${MAX_COMMENT} characters)`,
  ...secured(...ANY_ROLE),
  request: { params: NumberParam, body: { ...json(CommentBody, 'The comment'), required: true } },
  responses: {
    201: json(Comment, 'The comment as stored'),
    ...MISSING,
    ...INVALID,
    ...UNREADABLE,
    ...REFUSALS,
  },
});

const timelineRoute = createRoute({
  method: 'get',
  path: '/issues/{number}/timeline',
  summary: 'Saves, review requests, change requests, approvals, comments and sends, by display name',
  ...secured(...ANY_ROLE),
  request: { params: NumberParam },
  responses: { 200: json(TimelineAnswer, 'The history'), ...MISSING, ...REFUSALS },
});

const iso = (ms: number) => new Date(ms).toISOString();
const isComment = (e: IssueEvent) => e.kind === 'comment' || e.kind === 'changes';

/** Request changes, comments and the timeline of an issue (issue 18, review as a conversation). */
export function conversationRoutes(api: OpenAPIHono<DeskEnv>, deps: DeskDeps): void {
  const locale = deps.config.DEFAULT_LOCALE;
  const head = (text: string) => deps.issues.get(issueNumber(text) ?? 0, locale);
  const missing = (c: Context<DeskEnv>, text: string) =>
    c.json(refusal('no-issue', { number: text }, `There is no issue ${text}.`), 404);
  const notices = createDeskNotifier(deps);

  api.openapi(requestChangesRoute, async (c) => {
    const { number } = c.req.valid('param');
    const { comment } = c.req.valid('json');
    const n = Number(number);
    const moved = await deps.issues.move(n, locale, 'draft', ['in_review']);
    if (moved.status === 'missing') return missing(c, number);
    if (moved.status === 'refused') {
      const error = `Issue ${number} is ${moved.state}, not in review.`;
      return c.json(refusal('not-in-review', { number, issueState: moved.state }, error), 409);
    }
    const by = c.get('caller').id;
    // Who asked for this round of review: the review requests since the last change request.
    const events = await deps.issueEvents.list(n, locale);
    const round = events.slice(events.findLastIndex((e) => e.kind === 'changes') + 1);
    const writers = [...new Set(round.filter((e) => e.kind === 'review').map((e) => e.by))];
    await deps.issueEvents.add(n, locale, { by, kind: 'changes', text: comment });
    await audit(deps, c, 'issue.request-changes', `issue:${number}`);
    const stored = await head(number);
    const values = { title: stored?.subject ?? '', name: (await displayNames(deps, [by])).get(by) ?? by };
    notices
      .notify('changesRequested', { emails: writers }, n, values, by, comment)
      .catch((err) => deps.log(`desk notice failed: ${err}`));
    return c.json({ state: 'draft' as const }, 200);
  });

  api.openapi(commentsRoute, async (c) => {
    const { number } = c.req.valid('param');
    if (!(await head(number))) return missing(c, number);
    const events = (await deps.issueEvents.list(Number(number), locale)).filter(isComment);
    const names = await displayNames(
      deps,
      events.map((e) => e.by),
    );
    const comments = events.map((e) => ({
      at: iso(e.at),
      by: e.by,
      name: names.get(e.by) ?? e.by,
      text: e.text ?? '',
      kind: e.kind,
    }));
    return c.json({ comments }, 200);
  });

  api.openapi(addCommentRoute, async (c) => {
    const { number } = c.req.valid('param');
    const { comment } = c.req.valid('json');
    if (!(await head(number))) return missing(c, number);
    const by = c.get('caller').id;
    const event = await deps.issueEvents.add(Number(number), locale, { by, kind: 'comment', text: comment });
    await audit(deps, c, 'issue.comment', `issue:${number}`);
    const names = await displayNames(deps, [by]);
    return c.json({ at: iso(event.at), by, name: names.get(by) ?? by, text: comment, kind: event.kind }, 201);
  });

  api.openapi(timelineRoute, async (c) => {
    const { number } = c.req.valid('param');
    const n = Number(number);
    const [revisions, events, sends] = await Promise.all([
      deps.issues.revisions(n, locale),
      deps.issueEvents.list(n, locale),
      deps.sends.ofIssue(n),
    ]);
    if (revisions.length === 0) return missing(c, number);
    const scheduledBy = new Map(events.filter((e) => e.kind === 'schedule').map((e) => [e.sendId, e.by]));
    const rows = [
      ...revisions.map((r) => ({ at: r.at, by: r.by, kind: 'save' as const, revision: r.revision })),
      ...events,
      ...sends
        .filter((s) => s.state === 'done' && !s.testTo && s.doneAt)
        .map((s) => ({
          at: s.doneAt ?? 0,
          by: scheduledBy.get(s.id) ?? '',
          kind: 'sent' as const,
          sendId: s.id,
        })),
    ].sort((a, b) => a.at - b.at);
    const names = await displayNames(deps, rows.map((r) => r.by).filter(Boolean));
    const timeline = rows.map((r) => {
      const { text, sendId, revision } = r as { text?: string; sendId?: string; revision?: number };
      return {
        at: iso(r.at),
        by: r.by,
        name: names.get(r.by) ?? r.by,
        kind: r.kind,
        ...(revision === undefined ? {} : { revision }),
        ...(text === undefined ? {} : { text }),
        ...(sendId === undefined ? {} : { sendId }),
      };
    });
    return c.json({ timeline }, 200);
  });
}
