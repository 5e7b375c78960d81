import { Hono, type MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { mountDeskApi } from '../../desk/api/desk-api.ts';
import { serveDesk } from '../../desk/desk-static.ts';
import { unreadableBody } from '../../http/unreadable-body.ts';
import type { Signups } from '../../subscribers/signup/take-signup.ts';
import { oneLine } from '../../text/one-line.ts';
import { health } from '../health.ts';
import { createArchive } from './archive.ts';
import { archiveRoutes } from './archive-routes.tsx';
import { createBounceWebhooks } from './bounce-webhooks.ts';
import { followClick } from './click-routes.tsx';
import { serveImages } from './image-files.ts';
import { requireRedis } from './redis-ready.ts';
import type { ServerDeps } from './server-deps.ts';
import { postConfirm, postSubscribe, showConfirm, showSubscribe } from './subscribe-routes.tsx';
import { postPreferences, postUnsubscribe, showPreferences } from './unsubscribe-routes.tsx';

/** Bodies are small forms; anything bigger is refused before it is read. */
const MAX_BODY = 16 * 1024;

/** Pages carry tokens in their URL: no referrer leaves them, nothing caches them, nothing frames them. */
const securityHeaders: MiddlewareHandler = async (c, next) => {
  await next();
  // A route may set a policy of its own (the archive shows images); the default allows nothing.
  if (!c.res.headers.has('Content-Security-Policy')) {
    c.header(
      'Content-Security-Policy',
      "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
    );
  }
  c.header('Referrer-Policy', 'no-referrer');
  c.header('X-Content-Type-Options', 'nosniff');
  // The desk's hashed assets say how long they keep; everything else is never cached.
  if (!c.res.headers.has('Cache-Control')) c.header('Cache-Control', 'no-store');
};

/** The HTTP app: every route in one table. Handlers parse, call the subscribers module and render. */
export function createApp(deps: ServerDeps & { signups: Signups }): Hono {
  const app = new Hono();
  app.use('*', securityHeaders);
  app.use('*', requireRedis(deps.redis));
  // Registered before the forms' 16 KB limit, which therefore never runs for them: they set their own.
  app.route('/webhooks', createBounceWebhooks(deps));
  // The desk's routes cap their bodies themselves (an issue's JSON, an image, a CSV: all bigger than a form).
  if (deps.desk) mountDeskApi(app, deps.desk);
  app.use(
    '*',
    bodyLimit({ maxSize: MAX_BODY, onError: (c) => c.text('The request body is too large.', 413) }),
  );

  app.get('/health', health(deps.redis, deps.config.TRUST_PROXY));
  app.get('/u/:token', showPreferences(deps));
  app.post('/u/:token', postUnsubscribe(deps));
  app.post('/u/:token/preferences', postPreferences(deps));
  app.get('/subscribe', showSubscribe(deps));
  app.post('/subscribe', postSubscribe(deps));
  app.get('/confirm/:token', showConfirm(deps));
  app.post('/confirm/:token', postConfirm(deps));
  app.get('/c/:token', followClick(deps));
  const archive = archiveRoutes(
    createArchive({
      sends: deps.sends,
      publicUrl: deps.config.PUBLIC_URL,
    }),
    deps.config.GAZETTE_SECRET,
    deps.config.MAIL_FROM,
  );
  app.get('/archive', archive.index);
  app.get('/archive/feed.xml', archive.feed);
  app.get('/archive/test/:token', archive.test);
  // Before /archive/:number/:locale, which would take "en/feed.xml" for a number and a locale.
  app.get('/archive/:locale/feed.xml', archive.languageFeed);
  app.get('/archive/:number', archive.issue);
  app.get('/archive/:number/:locale', archive.issue);
  app.get('/images/*', serveImages(deps.imagesDir ?? 'issues/images'));
  app.get('/desk', serveDesk({ dir: deps.deskDir }));
  app.get('/desk/*', serveDesk({ dir: deps.deskDir }));

  app.notFound((c) => c.text('Not found', 404));
  app.onError((err, c) => {
    const unreadable = unreadableBody(err);
    if (unreadable) return c.text(unreadable, 400);
    (deps.log ?? console.error)(`${c.req.method} ${oneLine(c.req.path)} failed`, err);
    return c.text('Something went wrong on our side; please try again later.', 500);
  });
  return app;
}
