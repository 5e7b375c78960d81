import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { NoticePrefs } from '../../../accounts/user-store.ts';
import type { DeskDeps, DeskEnv } from '../desk-deps.ts';
import { ANY_ROLE, audit, INVALID, json, MISSING, REFUSALS, secured, UNREADABLE } from '../route-kit.ts';

/** Which desk notices the caller gets by mail (`PUT /me/notifications` body and answer). */
const Notices = NoticePrefs.meta({ id: 'NotificationSettings' });

const getNoticesRoute = createRoute({
  method: 'get',
  path: '/me/notifications',
  summary: 'Which desk notices the signed-in user gets by mail',
  ...secured(...ANY_ROLE),
  responses: { 200: json(Notices, 'The settings'), ...MISSING, ...REFUSALS },
});

const putNoticesRoute = createRoute({
  method: 'put',
  path: '/me/notifications',
  summary:
    'Turn each desk notice (review requested, approved, send finished) on or off for the signed-in user',
  ...secured(...ANY_ROLE),
  request: { body: { ...json(Notices, 'Every setting'), required: true } },
  responses: { 200: json(Notices, 'Stored'), ...MISSING, ...INVALID, ...UNREADABLE, ...REFUSALS },
});

const NO_ACCOUNT = 'Only a signed-in user has notification settings; an API token has none.';

/** GET and PUT /me/notifications: the caller's own mail settings. */
export function noticeRoutes(api: OpenAPIHono<DeskEnv>, deps: DeskDeps): void {
  api.openapi(getNoticesRoute, async (c) => {
    const found = await deps.users.notices(c.get('caller').id);
    return found ? c.json(found, 200) : c.json({ error: NO_ACCOUNT }, 404);
  });

  api.openapi(putNoticesRoute, async (c) => {
    const prefs = c.req.valid('json');
    const caller = c.get('caller');
    if (caller.via !== 'session' || !(await deps.users.setNotices(caller.id, prefs))) {
      return c.json({ error: NO_ACCOUNT }, 404);
    }
    await audit(deps, c, 'user.notifications', `user:${caller.id}`);
    return c.json(prefs, 200);
  });
}
