import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { GazetteError } from '../../../errors.ts';
import { parseSince } from '../../../text/since.ts';
import type { DeskDeps, DeskEnv } from '../desk-deps.ts';
import { INVALID, json, REFUSALS, secured } from '../route-kit.ts';
import { AuditAnswer, AuditQuery } from '../schemas.ts';

const auditRoute = createRoute({
  method: 'get',
  path: '/audit',
  summary: 'Who changed what, oldest first (admin); `since` an ISO instant or 7d, 12h (default 30d)',
  ...secured('admin'),
  request: { query: AuditQuery },
  responses: { 200: json(AuditAnswer, 'The entries'), ...INVALID, ...REFUSALS },
});

/** GET /audit. */
export function auditRoutes(api: OpenAPIHono<DeskEnv>, deps: DeskDeps): void {
  api.openapi(auditRoute, async (c) => {
    const now = (deps.clock ?? Date.now)();
    let since: number;
    try {
      since = parseSince(c.req.valid('query').since ?? '30d', deps.config.TZ_DEFAULT, now);
    } catch (err) {
      if (!(err instanceof GazetteError)) throw err;
      const since = c.req.valid('query').since ?? '';
      return c.json(
        { errors: [{ path: 'since', code: 'since', params: { since }, message: err.message }] },
        422,
      );
    }
    return c.json({ events: await deps.audit.since(since) }, 200);
  });
}
