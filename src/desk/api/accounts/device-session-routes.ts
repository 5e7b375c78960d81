import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { SessionView } from '../../../accounts/session-store.ts';
import { refusal } from '../caller-language.ts';
import type { DeskDeps, DeskEnv } from '../desk-deps.ts';
import { ANY_ROLE, audit, json, MISSING, REFUSALS, secured } from '../route-kit.ts';
import {
  type DeviceSession,
  EmailParam,
  MemberSessionParam,
  SessionParam,
  SessionsAnswer,
} from '../schemas.ts';

const listRoute = createRoute({
  method: 'get',
  path: '/me/sessions',
  summary: "The signed-in user's live sessions: device, IP address, when signed in and last used",
  ...secured(...ANY_ROLE),
  responses: { 200: json(SessionsAnswer, 'The sessions, the latest used first'), ...MISSING, ...REFUSALS },
});

const endOneRoute = createRoute({
  method: 'delete',
  path: '/me/sessions/{id}',
  summary: "End one of the signed-in user's sessions (its cookie stops working at once)",
  ...secured(...ANY_ROLE),
  request: { params: SessionParam },
  responses: { 204: { description: 'Ended' }, ...MISSING, ...REFUSALS },
});

const endOthersRoute = createRoute({
  method: 'delete',
  path: '/me/sessions',
  summary: 'End every session of the signed-in user but the one that asks',
  ...secured(...ANY_ROLE),
  responses: { 204: { description: 'Ended' }, ...MISSING, ...REFUSALS },
});

const memberListRoute = createRoute({
  method: 'get',
  path: '/users/{email}/sessions',
  summary: "A member's live sessions, as they see them on their account page (admin)",
  ...secured('admin'),
  request: { params: EmailParam },
  responses: { 200: json(SessionsAnswer, 'The sessions, the latest used first'), ...REFUSALS },
});

const memberEndRoute = createRoute({
  method: 'delete',
  path: '/users/{email}/sessions/{id}',
  summary: "End one of a member's sessions (admin)",
  ...secured('admin'),
  request: { params: MemberSessionParam },
  responses: { 204: { description: 'Ended' }, ...MISSING, ...REFUSALS },
});

const NO_ACCOUNT = 'Only a signed-in user has sessions; an API token has none.';

/** A stored session as the list shows it to the session `current` (its public id). */
function shown(s: SessionView, current: string): DeviceSession {
  const at = (ms: number) => new Date(ms).toISOString();
  return {
    id: s.id,
    device: s.device,
    ip: s.ip,
    createdAt: at(s.createdAt),
    lastSeenAt: at(s.lastSeenAt),
    current: s.id === current,
  };
}

/** The signed-in user and their session's cookie, or null for an API token. */
function signedIn(c: Context<DeskEnv>): { email: string; sessionId: string } | null {
  const caller = c.get('caller');
  return caller.via === 'session' && caller.sessionId
    ? { email: caller.id, sessionId: caller.sessionId }
    : null;
}

const noAccount = (c: Context) => c.json(refusal('no-account', {}, NO_ACCOUNT), 404);
const noSession = (c: Context) =>
  c.json(refusal('no-session', {}, 'There is no such session; it may have ended already.'), 404);

/** The public id of the caller's own session, or '' for an API token. */
const ownId = (deps: DeskDeps, c: Context<DeskEnv>) => {
  const id = c.get('caller').sessionId;
  return id ? deps.sessions.publicId(id) : '';
};

/**
 * GET /me/sessions, DELETE /me/sessions/{id} and DELETE /me/sessions (issue 22): one's own devices;
 * GET /users/{email}/sessions and DELETE /users/{email}/sessions/{id}: an admin's view of a member's.
 */
export function deviceSessionRoutes(api: OpenAPIHono<DeskEnv>, deps: DeskDeps): void {
  api.openapi(listRoute, async (c) => {
    const me = signedIn(c);
    if (!me) return noAccount(c);
    const sessions = (await deps.sessions.list(me.email)).map((s) => shown(s, ownId(deps, c)));
    return c.json({ sessions }, 200);
  });

  api.openapi(endOneRoute, async (c) => {
    const me = signedIn(c);
    if (!me) return noAccount(c);
    const { id } = c.req.valid('param');
    if (!(await deps.sessions.destroyListed(me.email, id))) return noSession(c);
    // The first characters name it in the log as the list shows it; the whole digest stays out.
    await audit(deps, c, 'session.end', `user:${me.email} session:${id.slice(0, 8)}`);
    return c.body(null, 204);
  });

  api.openapi(endOthersRoute, async (c) => {
    const me = signedIn(c);
    if (!me) return noAccount(c);
    const ended = await deps.sessions.destroyAll(me.email, me.sessionId);
    await audit(deps, c, 'session.end-others', `user:${me.email} (${ended})`);
    return c.body(null, 204);
  });

  api.openapi(memberListRoute, async (c) => {
    const email = c.req.valid('param').email.trim().toLowerCase();
    const sessions = (await deps.sessions.list(email)).map((s) => shown(s, ownId(deps, c)));
    return c.json({ sessions }, 200);
  });

  api.openapi(memberEndRoute, async (c) => {
    const { email, id } = c.req.valid('param');
    const member = email.trim().toLowerCase();
    if (!(await deps.sessions.destroyListed(member, id))) return noSession(c);
    await audit(deps, c, 'session.end', `user:${member} session:${id.slice(0, 8)}`);
    return c.body(null, 204);
  });
}
