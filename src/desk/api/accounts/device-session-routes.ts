import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { SessionView } from '../../../accounts/session-store.ts';
import { refusal } from '../caller-language.ts';
import type { DeskDeps, DeskEnv } from '../desk-deps.ts';
import { ANY_ROLE, audit, json, MISSING, REFUSALS, secured } from '../route-kit.ts';
import { type DeviceSession, SessionParam, SessionsAnswer } from '../schemas.ts';

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

/** GET /me/sessions, DELETE /me/sessions/{id} and DELETE /me/sessions (issue 22): one's own devices. */
export function deviceSessionRoutes(api: OpenAPIHono<DeskEnv>, deps: DeskDeps): void {
  api.openapi(listRoute, async (c) => {
    const me = signedIn(c);
    if (!me) return noAccount(c);
    const current = deps.sessions.publicId(me.sessionId);
    const sessions = (await deps.sessions.list(me.email)).map((s) => shown(s, current));
    return c.json({ sessions }, 200);
  });

  api.openapi(endOneRoute, async (c) => {
    const me = signedIn(c);
    if (!me) return noAccount(c);
    const { id } = c.req.valid('param');
    if (!(await deps.sessions.destroyListed(me.email, id))) {
      return c.json(refusal('no-session', {}, 'There is no such session; it may have ended already.'), 404);
    }
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
}
