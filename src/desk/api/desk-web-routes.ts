import { PassThrough, Readable } from 'node:stream';
import { type Context, Hono, type MiddlewareHandler, type Next } from 'hono';
import { scaffoldIssue } from '../../issue/scaffold-issue.ts';
import { Issue } from '../../issue/schema.ts';
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

/** The footer link a scaffolded issue gets to the one before it, in the issue's language. */
const PREVIOUS_LABEL: Record<string, (n: number) => string> = {
  ja: (n) => `前号（No.${n}）`,
  en: (n) => `Previous issue (No.${n})`,
  ko: (n) => `지난 호(No.${n})`,
};

/**
 * Routes the web app needs beyond the contract (issue 13): the preview of an unsaved draft, image
 * upload and listing, one revision's JSON (for compare and restore), the subscriber export (admin),
 * and `POST /issues {from}`,
 * which the API answers 404 "not built yet" (this handler answers it first; drop it once the API
 * scaffolds). Each runs the desk API's own guard, authentication and role check. Mount before
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
  revisions.post('/issues', guard, async (c, next) => {
    const body = (await c.req.json().catch(() => null)) as { from?: unknown; number?: unknown } | null;
    if (typeof body?.from !== 'number' || 'issue' in body) return next();
    const prev = await deps.issues.get(body.from, config.DEFAULT_LOCALE);
    const parsed = prev && Issue.safeParse(prev.json);
    if (!parsed?.success)
      return c.json({ error: `There is no valid issue ${body.from} to start from.` }, 404);
    const label = PREVIOUS_LABEL[parsed.data.locale] ?? PREVIOUS_LABEL.en;
    const issue = scaffoldIssue(parsed.data, {
      publicUrl: config.PUBLIC_URL,
      ...(prev?.state === 'sent' && label ? { label: label(parsed.data.number) } : {}),
      ...(typeof body.number === 'number' ? { number: body.number } : {}),
    });
    const caller = (c as unknown as Context<DeskEnv>).get('caller');
    const saved = await deps.issues.create(issue, issue, caller.id);
    if (saved.status !== 'ok') return c.json({ error: `Issue ${issue.number} exists already.` }, 409);
    await audit(deps, c as unknown as Context<DeskEnv>, 'issue.create', `issue:${issue.number}`);
    return c.json({ number: issue.number, revision: saved.revision }, 201);
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
