import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, resolve, sep } from 'node:path';
import type { MiddlewareHandler } from 'hono';
import { packageRoot } from '../package-root.ts';

/**
 * Where `npm run build:desk` writes the web app: dist/desk in the package, from the sources and from
 * the compiled server alike (issue 18: the compiled one looked in dist/dist/desk).
 */
export function deskBundleDir(): string {
  return join(packageRoot(), 'dist', 'desk');
}

/** The sentence `gazette server` prints, and /desk shows, when the web app was never built. */
export const MISSING_BUNDLE =
  'The desk web app is not built (dist/desk/index.html is missing): run `npm run build:desk`, then restart `gazette server`.';

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.html': 'text/html; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.ico': 'image/x-icon',
};

/**
 * The app may talk only to its own origin; previews are framed from the same origin (the API), and
 * images in the editor come from the server's /images/ or the https web.
 */
export const DESK_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob: https:",
  "connect-src 'self'",
  "frame-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** True when the bundle in `dir` can be served (its index.html exists). */
export function deskBundleExists(dir: string = deskBundleDir()): boolean {
  return existsSync(join(dir, 'index.html'));
}

/**
 * GET /desk and /desk/*: the built web app. Hashed files under assets/ are cached for a year
 * (their name changes with their content); every other path answers index.html, never cached, so
 * that a deep link such as /desk/issues/204 opens the app. /desk/api/* is left to the API.
 */
export function serveDesk(opts: { dir?: string } = {}): MiddlewareHandler {
  const root = resolve(opts.dir ?? deskBundleDir());
  return async (c, next) => {
    const path = c.req.path;
    if (path.startsWith('/desk/api/') || path === '/desk/api') return next();
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD') return next();
    c.header('Content-Security-Policy', DESK_CSP);
    c.header('X-Frame-Options', 'DENY');
    if (!deskBundleExists(root)) {
      c.header('Cache-Control', 'no-store');
      return c.text(MISSING_BUNDLE, 503);
    }
    const rel = decodeURIComponentSafe(path.replace(/^\/desk\/?/, ''));
    if (rel?.startsWith('assets/')) {
      const file = normalize(join(root, rel));
      if (!file.startsWith(root + sep)) return c.text('Not found', 404);
      const body = await readFile(file).catch(() => null);
      if (!body) return c.text('Not found', 404);
      c.header('Content-Type', TYPES[extname(file)] ?? 'application/octet-stream');
      c.header('Cache-Control', 'public, max-age=31536000, immutable');
      return c.body(body);
    }
    // A missing hashed asset must not turn into index.html (a browser would run HTML as a script).
    if (rel === null || /\.[a-z0-9]+$/i.test(rel)) return c.text('Not found', 404);
    c.header('Content-Type', TYPES['.html']);
    c.header('Cache-Control', 'no-cache');
    return c.body(await readFile(join(root, 'index.html')));
  };
}

function decodeURIComponentSafe(value: string): string | null {
  try {
    return decodeURIComponent(value);
  } catch {
    return null;
  }
}
