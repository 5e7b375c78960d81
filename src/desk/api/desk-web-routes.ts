import type { Context, Hono, MiddlewareHandler, Next } from 'hono';
import { wordRefusals } from './caller-language.ts';
import { DESK_API_PATH } from './desk-api.ts';
import type { DeskDeps, DeskEnv } from './desk-deps.ts';
import { allow, authenticate, deskGuard } from './guard.ts';
import { draftPreviewRoutes } from './issues/draft-preview.ts';
import { imageRoutes } from './issues/image-routes.ts';
import { ANY_ROLE, audit } from './route-kit.ts';
import { subscriberExportRoutes } from './subscribers/subscriber-export-route.ts';

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
 * The desk API's routes that are plain Hono routes (issue 13): the preview of an unsaved draft, image
 * upload and listing, and the subscriber export (admin, streamed). Each runs the desk API's own
 * guard, authentication and role check; their documentation is registered by createDeskApi
 * (see webRouteDocs). Mount before mountDeskApi: the API's 1 MB body limit would otherwise refuse
 * image uploads (up to 15 MB).
 */
export function mountDeskWebRoutes(app: Hono, deps: DeskDeps): void {
  const guard = chain(
    wordRefusals(),
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
      exists: async (n) => (await deps.issues.get(n, config.DEFAULT_LOCALE)) !== null,
      guard,
      audit: (c, src) => audit(deps, c as unknown as Context<DeskEnv>, 'image.upload', src),
    }),
  );
  const admin = chain(
    wordRefusals(),
    deskGuard(deps),
    authenticate(deps) as MiddlewareHandler,
    allow('admin') as MiddlewareHandler,
  );
  app.route(DESK_API_PATH, subscriberExportRoutes(deps, admin));
}
