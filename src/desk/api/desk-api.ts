import { OpenAPIHono } from '@hono/zod-openapi';
import type { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { unreadableBody } from '../../http/unreadable-body.ts';
import { auditRoutes } from './accounts/audit-routes.ts';
import { noticeRoutes } from './accounts/notice-routes.ts';
import { sessionRoutes, signInRoutes } from './accounts/session-routes.ts';
import { apiDocsRoutes } from './api-docs-routes.ts';
import type { DeskDeps, DeskEnv } from './desk-deps.ts';
import { allow, authenticate, deskGuard, sessionCookieName } from './guard.ts';
import { conversationRoutes } from './issues/conversation-routes.ts';
import { editionRoutes } from './issues/edition-routes.ts';
import { issueImportRoute } from './issues/issue-import-route.ts';
import { issueRevisionRoutes } from './issues/issue-revision-routes.ts';
import { issueRoutes } from './issues/issue-routes.ts';
import { reviewRoutes } from './issues/review-routes.ts';
import { mountQueueBoard } from './queue-board.ts';
import { ANY_ROLE, MAX_JSON_BYTES, validationHook } from './route-kit.ts';
import { sendRoutes } from './send-routes.ts';
import { listRoutes } from './subscribers/list-routes.ts';
import { subscriberEditRoutes } from './subscribers/subscriber-edit-routes.ts';
import { subscriberRoutes } from './subscribers/subscriber-routes.ts';
import { webRouteDocs } from './web-route-docs.ts';

/** Where the desk API answers. */
export const DESK_API_PATH = '/desk/api';

/** A subscriber CSV may be large (it is streamed into the import); JSON bodies stop at MAX_JSON_BYTES. */
const MAX_CSV = 50 * 1024 * 1024;

/** The desk API as a Hono app of its own, every route below DESK_API_PATH (see mountDeskApi). */
export function createDeskApi(deps: DeskDeps): OpenAPIHono<DeskEnv> {
  const api = new OpenAPIHono<DeskEnv>({ defaultHook: validationHook });
  api.use('*', deskGuard(deps));
  api.use('*', async (c, next) => {
    const max = c.req.path.endsWith('/subscribers/import') ? MAX_CSV : MAX_JSON_BYTES;
    return bodyLimit({ maxSize: max, onError: (x) => x.json({ error: 'The body is too large.' }, 413) })(
      c,
      next,
    );
  });
  signInRoutes(api, deps);
  api.use('*', authenticate(deps));
  sessionRoutes(api, deps);
  noticeRoutes(api, deps);
  issueImportRoute(api, deps);
  issueRoutes(api, deps);
  editionRoutes(api, deps);
  issueRevisionRoutes(api, deps);
  reviewRoutes(api, deps);
  conversationRoutes(api, deps);
  sendRoutes(api, deps);
  listRoutes(api, deps);
  subscriberRoutes(api, deps);
  subscriberEditRoutes(api, deps);
  auditRoutes(api, deps);

  for (const route of webRouteDocs) api.openAPIRegistry.registerPath(route);
  api.openAPIRegistry.registerComponent('securitySchemes', 'session', {
    type: 'apiKey',
    in: 'cookie',
    name: sessionCookieName(deps.config),
  });
  api.openAPIRegistry.registerComponent('securitySchemes', 'token', { type: 'http', scheme: 'bearer' });
  api.use('/openapi.json', allow(...ANY_ROLE));
  api.doc31('/openapi.json', {
    openapi: '3.1.0',
    info: {
      title: 'Gazette desk API',
      version: '1',
      description:
        'Everything the desk web app does, for scripts and CMSs too. Sign in with POST /session (a cookie) or send `Authorization: Bearer <token>` (`gazette tokens create`).',
    },
    servers: [{ url: DESK_API_PATH }],
  });
  apiDocsRoutes(api, deps, DESK_API_PATH);
  api.notFound((c) => c.json({ error: 'There is no such desk API route.' }, 404));
  api.onError((err, c) => {
    const unreadable = unreadableBody(err);
    if (unreadable) return c.json({ error: unreadable }, 400);
    deps.log(`desk ${c.req.method} ${c.req.path} failed: ${(err as Error).stack ?? err}`);
    return c.json({ error: 'Something went wrong on our side; the error is logged.' }, 500);
  });
  return api;
}

/**
 * Mounts the desk API at /desk/api and Bull Board at /desk/queues on the server's app; the rest of
 * /desk is left to the desk web app. Call it before any body limit smaller than the desk's own.
 */
export function mountDeskApi(app: Hono, deps: DeskDeps): void {
  app.route(DESK_API_PATH, createDeskApi(deps));
  mountQueueBoard(app, deps);
}
