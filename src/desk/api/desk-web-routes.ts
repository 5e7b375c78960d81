import { PassThrough, Readable } from 'node:stream';
import { type Context, Hono, type MiddlewareHandler, type Next } from 'hono';
import { exportSubscribers } from '../../subscribers/export.ts';
import type { DeskDeps, DeskEnv } from './deps.ts';
import { DESK_API_PATH } from './desk-api.ts';
import { draftPreviewRoutes } from './draft-preview.ts';
import { allow, authenticate, deskGuard } from './guard.ts';
import { imageRoutes } from './image-routes.ts';
import { ANY_ROLE, audit } from './route-kit.ts';

/** Runs middlewares one after the other, as if each were registered in turn. */
function chain(...steps: MiddlewareHandler[]): MiddlewareHandler {
  return (c: Context, next: Next) => {
    const run = async (i: number): Promise<void> => {
      const step = steps[i];
      if (!step) return next();
      const res = await step(c, () => run(i + 1));
      if (res) c.res = res;
    };
    return run(0);
  };
}

/**
 * Routes the web app needs beyond the contract (issue 13): the preview of an unsaved draft, image
 * upload and listing, one revision's JSON (for compare and restore) and the subscriber export (admin).
 * Each runs the desk API's own guard, authentication and role check. Mount before
 * mountDeskApi: the API's 1 MB body limit would otherwise refuse image uploads (up to 15 MB).
 */
export function mountDeskWebRoutes(app: Hono, deps: DeskDeps): void {
  const guard = chain(
    deskGuard(deps),
    authenticate(deps) as MiddlewareHandler,
    allow(...ANY_ROLE) as MiddlewareHandler,
  );
  const { redis, config } = deps;
  app.route(
    DESK_API_PATH,
    draftPreviewRoutes({ redis, prefix: config.REDIS_PREFIX, publicUrl: config.PUBLIC_URL, guard }),
  );
  app.route(
    DESK_API_PATH,
    imageRoutes({
      imagesDir: deps.imagesDir ?? 'issues/images',
      guard,
      audit: (c, src) => audit(deps, c as unknown as Context<DeskEnv>, 'image.upload', src),
    }),
  );
  const revisions = new Hono();
  revisions.get('/issues/:number{[0-9]+}/revisions/:revision{[0-9]+}', guard, async (c) => {
    const n = Number(c.req.param('number'));
    const rev = Number(c.req.param('revision'));
    const issue = await deps.issues.revision(n, config.DEFAULT_LOCALE, rev);
    if (issue == null) return c.json({ error: `Issue ${n} has no revision ${rev}.` }, 404);
    return c.json({ revision: rev, issue });
  });
  const admin = chain(
    deskGuard(deps),
    authenticate(deps) as MiddlewareHandler,
    allow('admin') as MiddlewareHandler,
  );
  revisions.get('/subscribers/export', admin, async (c) => {
    const format = c.req.query('format') === 'jsonl' ? 'jsonl' : 'csv';
    const list = c.req.query('list') || undefined;
    const out = new PassThrough();
    exportSubscribers(deps.subscribers, out, { format, ...(list ? { list } : {}) }).then(
      () => out.end(),
      (err: Error) => out.destroy(err),
    );
    await audit(deps, c as unknown as Context<DeskEnv>, 'subscribers.export', list ? `list:${list}` : 'all');
    return new Response(Readable.toWeb(out) as ReadableStream, {
      headers: {
        'Content-Type': format === 'csv' ? 'text/csv; charset=utf-8' : 'application/x-ndjson',
        'Content-Disposition': `attachment; filename="subscribers.${format}"`,
        'Cache-Control': 'no-store',
      },
    });
  });
  app.route(DESK_API_PATH, revisions);
}
