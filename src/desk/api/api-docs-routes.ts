import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { OpenAPIHono } from '@hono/zod-openapi';
import { compress } from 'hono/compress';
import { html } from 'hono/html';
import { deskBundleDir, MISSING_BUNDLE } from '../desk-static.ts';
import { type DeskDeps, type DeskEnv, deskOrigin } from './desk-deps.ts';
import { allow } from './guard.ts';
import { ANY_ROLE, capped } from './route-kit.ts';

/** Scalar's self-contained browser bundle, copied beside the desk's web app by `npm run build:desk`. */
const scalarBundle = () => join(deskBundleDir(), 'api-reference.js');

/**
 * Put before the bundle: the zod 4 inside it probes `new Function` to compile its parsers, which the
 * CSP (no 'unsafe-eval') reports as a violation; jitless, read from zod's one global config, never probes.
 */
const JITLESS = 'globalThis.__zod_globalConfig = { ...globalThis.__zod_globalConfig, jitless: true };\n';

/**
 * What the reference may do: no fonts, telemetry, AI agent or MCP links from Scalar's servers, and no
 * button that hands our document's URL to Scalar's hosted client (the CSP would block the requests
 * anyway; switched off, the page does not try them). Its test requests go to the desk API itself.
 */
const SCALAR_CONFIG = {
  withDefaultFonts: false,
  telemetry: false,
  agent: { disabled: true },
  mcp: { disabled: true },
  hideClientButton: true,
  showDeveloperTools: 'never',
};

/**
 * The docs page's CSP: the one bundle at its exact URL, no inline script, no eval. Styles stay
 * 'unsafe-inline': Scalar (Vue) writes <style> elements without a nonce and style="" attributes.
 */
function docsCsp(bundleUrl: string): string {
  return [
    "default-src 'none'",
    `script-src ${bundleUrl}`,
    "style-src 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/**
 * GET /docs (the API reference, rendered in the browser by Scalar from /openapi.json) and
 * GET /docs/scalar.js (Scalar's bundle, served from the installed package): same origin, no CDN, no
 * inline script, so the docs work on a network without internet and run only code we ship.
 */
export function apiDocsRoutes(api: OpenAPIHono<DeskEnv>, deps: Pick<DeskDeps, 'config'>, base: string): void {
  const bundleUrl = new URL(`${base}/docs/scalar.js`, deskOrigin(deps.config)).href;
  api.get('/docs', capped(), allow(...ANY_ROLE), (c) => {
    c.header('Content-Security-Policy', docsCsp(bundleUrl));
    return c.html(html`<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>Gazette desk API</title>
    <link rel="icon" href="data:,">
  </head>
  <body>
    <script id="api-reference" type="application/json" data-url="${base}/openapi.json" data-configuration="${JSON.stringify(SCALAR_CONFIG)}"></script>
    <script src="${base}/docs/scalar.js"></script>
  </body>
</html>`);
  });
  api.get('/docs/scalar.js', capped(), allow(...ANY_ROLE), compress(), async (c) => {
    const bundle = await readFile(scalarBundle(), 'utf8').catch(() => null);
    if (bundle === null) return c.text(MISSING_BUNDLE, 503);
    c.header('Content-Type', 'text/javascript; charset=utf-8');
    return c.body(JITLESS + bundle);
  });
}
