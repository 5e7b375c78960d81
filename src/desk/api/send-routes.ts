import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { GazetteError } from '../../errors.ts';
import type { Issue } from '../../issue/schema.ts';
import { fillRanking } from '../../report/fill-ranking.ts';
import { sendReport } from '../../report/send-report.ts';
import { previousSend } from '../../send/control/previous-send.ts';
import {
  cancelSend,
  createSend,
  pauseSend,
  rescheduleSend,
  resumeSend,
  sendTest,
} from '../../send/control/schedule.ts';
import { recentStatuses, sendStatus, summaryJson } from '../../send/record/send-status.ts';
import type { SendRecord } from '../../send/record/send-store.ts';
import { errorRefusal, refusal } from './caller-language.ts';
import type { DeskDeps, DeskEnv } from './desk-deps.ts';
import { claimEditions, settleEditions } from './issues/edition-state.ts';
import { settledState, storedIssue } from './issues/issue-workflow.ts';
import { ANY_ROLE, audit, INVALID, json, MISSING, REFUSALS, secured, UNREADABLE } from './route-kit.ts';
import {
  AlreadySentAnswer,
  CreateSend,
  ErrorAnswer,
  RescheduledAnswer,
  RescheduleSend,
  SendCreatedAnswer,
  SendIdParam,
  SendListAnswer,
  SendListQuery,
  SendReport,
  SendStateAnswer,
  SendSummary,
} from './schemas.ts';

const createSendRoute = createRoute({
  method: 'post',
  path: '/sends',
  summary: 'Schedule an approved issue for a list, or send a test to a few addresses now',
  ...secured('sender'),
  request: { body: { ...json(CreateSend, 'What to send, to whom, when'), required: true } },
  responses: {
    201: json(SendCreatedAnswer, 'Scheduled (or the tests sent)'),
    409: json(z.union([AlreadySentAnswer, ErrorAnswer]), 'Not approved, or already sent to the list'),
    ...MISSING,
    ...INVALID,
    ...UNREADABLE,
    ...REFUSALS,
  },
});

const listRoute = createRoute({
  method: 'get',
  path: '/sends',
  summary: 'The recent sends, newest first (`?issue=` one issue, `?state=` one state)',
  ...secured(...ANY_ROLE),
  request: { query: SendListQuery },
  responses: { 200: json(SendListAnswer, 'The sends'), ...REFUSALS },
});

const statusRoute = createRoute({
  method: 'get',
  path: '/sends/{id}',
  summary: "A send's state and counts (`gazette status --json`), its issue, list and time",
  ...secured(...ANY_ROLE),
  request: { params: SendIdParam },
  responses: { 200: json(SendSummary, 'The status'), ...MISSING, ...REFUSALS },
});

const rescheduleRoute = createRoute({
  method: 'post',
  path: '/sends/{id}/reschedule',
  summary: 'Move a scheduled send to another time, until it starts',
  ...secured('sender'),
  request: { params: SendIdParam, body: { ...json(RescheduleSend, 'The new time'), required: true } },
  responses: {
    200: json(RescheduledAnswer, 'The new time'),
    409: json(ErrorAnswer, 'Already started, done or cancelled'),
    ...MISSING,
    ...INVALID,
    ...REFUSALS,
  },
});

const reportRoute = createRoute({
  method: 'get',
  path: '/sends/{id}/report',
  summary: 'How a send went (`gazette report --json`)',
  ...secured(...ANY_ROLE),
  request: { params: SendIdParam },
  responses: { 200: json(SendReport, 'The report'), ...MISSING, ...REFUSALS },
});

const CONTROL = { pause: pauseSend, resume: resumeSend, cancel: cancelSend } as const;

const controlRoute = (action: keyof typeof CONTROL) =>
  createRoute({
    method: 'post',
    path: `/sends/{id}/${action}`,
    summary: `${action[0]?.toUpperCase()}${action.slice(1)} a send`,
    ...secured('sender'),
    request: { params: SendIdParam },
    responses: {
      200: json(SendStateAnswer, 'The state after'),
      409: json(ErrorAnswer, 'Not possible in its state'),
      ...MISSING,
      ...REFUSALS,
    },
  });

/** A GazetteError from scheduling as a 422 naming the field it is about. */
function scheduleRefusal(c: Context, err: unknown) {
  if (!(err instanceof GazetteError)) throw err;
  const path =
    err.code === 'E_LIST' || err.code === 'E_EMPTY_LIST' ? 'list' : err.code.startsWith('E_AT') ? 'at' : '';
  const { code, params, message } = errorRefusal(err);
  return c.json({ errors: [{ path, code, params, message }] }, 422);
}

const noIssue = (n: number) => refusal('no-issue', { number: n }, `There is no issue ${n}.`);
const noSend = (id: string) => refusal('no-send', { id }, `There is no send ${id}.`);

/** Sends: schedule or test, list, status, report, pause, resume, cancel. */
export function sendRoutes(api: OpenAPIHono<DeskEnv>, deps: DeskDeps): void {
  const locale = deps.config.DEFAULT_LOCALE;
  const rank = (issue: Issue) =>
    fillRanking({ sends: deps.sends, clicks: deps.clicks, note: (m) => deps.log(m) }, issue);
  const scheduleDeps = () => ({
    sends: deps.sends,
    subscribers: deps.subscribers,
    queues: deps.queues,
    config: deps.config,
    fillRanking: rank,
    ...(deps.clock ? { clock: deps.clock } : {}),
  });

  api.openapi(createSendRoute, async (c) => {
    const body = c.req.valid('json');
    const stored = await deps.issues.get(body.issue, locale);
    if (!stored) return c.json(noIssue(body.issue), 404);
    const issue = storedIssue(stored.json);
    if (body.test) {
      const ids: string[] = [];
      try {
        for (const to of body.test)
          ids.push((await sendTest({ ...scheduleDeps(), mailer: deps.mailer }, { issue, to })).id);
      } catch (err) {
        return scheduleRefusal(c, err);
      }
      await audit(deps, c, 'send.test', `issue:${issue.number} to:${body.test.join(',')}`);
      return c.json({ id: ids[0] ?? '', recipients: ids.length }, 201);
    }
    const state = await settledState(deps, stored);
    // Approved, or already scheduled or sent to some list (and locked against edits since).
    if (state !== 'approved' && state !== 'scheduled' && state !== 'sent') {
      const error = `Issue ${issue.number} is ${state}; only an approved issue is scheduled.`;
      return c.json(refusal('not-approved', { number: issue.number, issueState: state }, error), 409);
    }
    const list = body.list.trim().toLowerCase();
    const previous = await previousSend(deps, issue.number, list);
    if (previous && !body.resend) {
      const error = `Issue ${issue.number} already went (or is going) to list ${list} in send ${previous.id}; send resend: true to send it again.`;
      const params = { number: issue.number, list, send: previous.id };
      return c.json({ ...refusal('already-sent', params, error), previous: previous.id }, 409);
    }
    // Claimed first, so two senders cannot both schedule it; handed back if scheduling fails.
    const claim = await deps.issues.move(issue.number, locale, 'scheduled', [state], {
      revision: stored.revision,
    });
    if (claim.status !== 'ok') {
      const error = `Issue ${issue.number} changed; reload it.`;
      return c.json(refusal('changed', { number: issue.number }, error), 409);
    }
    // Approved editions only go with it, the default edition first (issue 20); claimed the same way.
    const { going, leftOut } = await claimEditions(deps, issue.number);
    let record: SendRecord;
    try {
      // resend: the guard ran above, with the answer the contract gives (409 with `previous`).
      // Editions only, no `issue` beside them: a source with `issue` is read as that one edition.
      const input = { editions: [issue, ...going.map((e) => e.issue)], list, at: body.at, resend: true };
      record = await createSend(scheduleDeps(), input);
    } catch (err) {
      await deps.issues.move(issue.number, locale, state, ['scheduled']);
      await settleEditions(deps, issue.number, going, null);
      return scheduleRefusal(c, err);
    }
    await deps.issues.move(issue.number, locale, 'scheduled', ['scheduled'], { sendId: record.id });
    await settleEditions(deps, issue.number, going, record.id);
    const editions = [locale, ...going.map((e) => e.locale)];
    await audit(
      deps,
      c,
      'send.schedule',
      `send:${record.id} issue:${issue.number} list:${list} editions:${editions.join(',')}`,
    );
    const by = c.get('caller').id;
    await deps.issueEvents.add(issue.number, locale, { by, kind: 'schedule', sendId: record.id });
    return c.json({ id: record.id, recipients: record.expected, editions, leftOut }, 201);
  });

  api.openapi(listRoute, async (c) => {
    const { issue, state } = c.req.valid('query');
    const all = await recentStatuses({ sends: deps.sends, subscribers: deps.subscribers }, 100);
    const chosen = all.filter((s) => (!issue || s.record.issue === issue) && (!state || s.state === state));
    return c.json({ sends: chosen.map(summaryJson) }, 200);
  });

  api.openapi(statusRoute, async (c) => {
    const { id } = c.req.valid('param');
    const status = await sendStatus({ sends: deps.sends, subscribers: deps.subscribers }, id);
    return status ? c.json(summaryJson(status), 200) : c.json(noSend(id), 404);
  });

  api.openapi(rescheduleRoute, async (c) => {
    const { id } = c.req.valid('param');
    try {
      const at = await rescheduleSend(scheduleDeps(), id, c.req.valid('json').at);
      await audit(deps, c, 'send.reschedule', `send:${id} at:${new Date(at).toISOString()}`);
      return c.json({ at: new Date(at).toISOString() }, 200);
    } catch (err) {
      if (err instanceof GazetteError && err.code === 'E_NO_SEND') return c.json(errorRefusal(err), 404);
      if (err instanceof GazetteError && err.code === 'E_STATE') return c.json(errorRefusal(err), 409);
      return scheduleRefusal(c, err);
    }
  });

  api.openapi(reportRoute, async (c) => {
    const { id } = c.req.valid('param');
    const report = await sendReport(
      {
        redis: deps.redis,
        prefix: deps.config.REDIS_PREFIX,
        sends: deps.sends,
        clicks: deps.clicks,
        bounces: deps.bounces,
        subscribers: deps.subscribers,
      },
      id,
    );
    return report ? c.json(report, 200) : c.json(noSend(id), 404);
  });

  for (const action of ['pause', 'resume', 'cancel'] as const) {
    api.openapi(controlRoute(action), async (c) => {
      const { id } = c.req.valid('param');
      try {
        const state = await CONTROL[action](scheduleDeps(), id);
        await audit(deps, c, `send.${action}`, `send:${id}`);
        return c.json({ state }, 200);
      } catch (err) {
        if (!(err instanceof GazetteError)) throw err;
        return c.json(errorRefusal(err), err.code === 'E_NO_SEND' ? 404 : 409);
      }
    });
  }
}
