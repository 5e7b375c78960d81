import { OpenAPIHono } from '@hono/zod-openapi';
import type { Hono } from 'hono';
import { unreadableBody } from '../../http/unreadable-body.ts';
import { auditRoutes } from './accounts/audit-routes.ts';
import { confirmIdentityRoutes } from './accounts/confirm-identity-routes.ts';
import { deviceSessionRoutes } from './accounts/device-session-routes.ts';
import { inviteRoutes } from './accounts/invite-routes.ts';
import { noticeRoutes } from './accounts/notice-routes.ts';
import { passkeyAdminRoutes, passkeyRoutes } from './accounts/passkey-routes.ts';
import { passwordResetRoutes } from './accounts/password-reset-routes.ts';
import {
  enrolmentRoutes,
  requireSecondFactor,
  secondFactorAdminRoutes,
} from './accounts/second-factor-routes.ts';
import { sessionRoutes, signInRoutes } from './accounts/session-routes.ts';
import { mountSsoRoutes } from './accounts/sso-routes.ts';
import { teamRoutes } from './accounts/team-routes.ts';
import { apiDocsRoutes } from './api-docs-routes.ts';
import { refusal, wordRefusals } from './caller-language.ts';
import type { DeskDeps, DeskEnv } from './desk-deps.ts';
import { allow, authenticate, deskGuard, sessionCookieName } from './guard.ts';
import { conversationRoutes } from './issues/conversation-routes.ts';
import { draftPreviewRoutes } from './issues/draft-preview.ts';
import { editionRoutes } from './issues/edition-routes.ts';
import { imageRoutes } from './issues/image-routes.ts';
import { issueImportRoute } from './issues/issue-import-route.ts';
import { issueRevisionRoutes } from './issues/issue-revision-routes.ts';
import { issueRoutes } from './issues/issue-routes.ts';
import { reviewRoutes } from './issues/review-routes.ts';
import { mountQueueBoard } from './queue-board.ts';
import { ANY_ROLE, audit, capped, validationHook } from './route-kit.ts';
import { sendRoutes } from './send-routes.ts';
import { listRoutes } from './subscribers/list-routes.ts';
import { subscriberEditRoutes } from './subscribers/subscriber-edit-routes.ts';
import { subscriberExportRoute } from './subscribers/subscriber-export-route.ts';
import { subscriberRoutes } from './subscribers/subscriber-routes.ts';

/** Where the desk API answers. */
export const DESK_API_PATH = '/desk/api';

/**
 * A desk API without routes: its answers to a body or query that does not fit (422), a body that
 * cannot be read (400), a path it does not have (404) and a failure of its own (500, told to `log`).
 */
export function emptyDeskApi(log: DeskDeps['log']): OpenAPIHono<DeskEnv> {
  const api = new OpenAPIHono<DeskEnv>({ defaultHook: validationHook });
  api.use('*', wordRefusals());
  api.notFound((c) => c.json(refusal('no-route', {}, 'There is no such desk API route.'), 404));
  api.onError((err, c) => {
    const unreadable = unreadableBody(err);
    if (unreadable) return c.json(refusal('unreadable', {}, unreadable), 400);
    log(`desk ${c.req.method} ${c.req.path} failed: ${(err as Error).stack ?? err}`);
    return c.json(refusal('internal', {}, 'Something went wrong on our side; the error is logged.'), 500);
  });
  return api;
}

/**
 * The desk API as a Hono app of its own, every route below DESK_API_PATH (see mountDeskApi). Each
 * route declares its own body cap (route-kit's secured), so the guard and authentication here are
 * all that runs for every route.
 */
export function createDeskApi(deps: DeskDeps): OpenAPIHono<DeskEnv> {
  const api = emptyDeskApi(deps.log);
  const { config } = deps;
  api.use('*', deskGuard(deps));
  signInRoutes(api, deps);
  passwordResetRoutes(api, deps);
  api.use('*', authenticate(deps));
  sessionRoutes(api, deps);
  enrolmentRoutes(api, deps);
  passkeyRoutes(api, deps);
  confirmIdentityRoutes(api, deps);
  // Every route from here on is closed to a user whose role needs a second factor they have not got.
  api.use('*', requireSecondFactor(deps));
  noticeRoutes(api, deps);
  deviceSessionRoutes(api, deps);
  secondFactorAdminRoutes(api, deps);
  passkeyAdminRoutes(api, deps);
  inviteRoutes(api, deps);
  teamRoutes(api, deps);
  issueImportRoute(api, deps);
  issueRoutes(api, deps);
  editionRoutes(api, deps);
  issueRevisionRoutes(api, deps);
  draftPreviewRoutes(api, { redis: deps.redis, prefix: config.REDIS_PREFIX, publicUrl: config.PUBLIC_URL });
  imageRoutes(api, {
    imagesDir: deps.imagesDir ?? 'issues/images',
    exists: async (n) => (await deps.issues.get(n, config.DEFAULT_LOCALE)) !== null,
    audit: (c, src) => audit(deps, c, 'image.upload', src),
  });
  reviewRoutes(api, deps);
  conversationRoutes(api, deps);
  sendRoutes(api, deps);
  listRoutes(api, deps);
  // Before `/subscribers/{email}`, which would take `export` for an address.
  subscriberExportRoute(api, deps);
  subscriberRoutes(api, deps);
  subscriberEditRoutes(api, deps);
  auditRoutes(api, deps);

  api.openAPIRegistry.registerComponent('securitySchemes', 'session', {
    type: 'apiKey',
    in: 'cookie',
    name: sessionCookieName(config),
  });
  api.openAPIRegistry.registerComponent('securitySchemes', 'token', { type: 'http', scheme: 'bearer' });
  api.use('/openapi.json', capped(), allow(...ANY_ROLE));
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
  return api;
}

/**
 * Mounts the desk API at /desk/api, single sign-on at /desk/auth/oidc (when set up) and Bull Board at
 * /desk/queues on the server's app; the rest of /desk is left to the desk web app. Call it before any
 * body limit smaller than the desk's own.
 */
export function mountDeskApi(app: Hono, deps: DeskDeps): void {
  app.route(DESK_API_PATH, createDeskApi(deps));
  mountSsoRoutes(app, deps);
  mountQueueBoard(app, deps);
}
