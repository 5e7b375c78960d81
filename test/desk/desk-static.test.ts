import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MISSING_BUNDLE, serveDesk } from '../../src/desk/desk-static.ts';

let dir: string;
let base: string;
let close: () => void;

/** A real HTTP server with the desk's static handler over a small bundle on disk. */
async function serve(bundle: string) {
  const { serve } = await import('@hono/node-server');
  const app = new Hono();
  app.get('/desk', serveDesk({ dir: bundle }));
  app.get('/desk/*', serveDesk({ dir: bundle }));
  app.get('/desk/api/ping', (c) => c.json({ pong: true }));
  app.notFound((c) => c.text('Not found', 404));
  return new Promise<{ base: string; close(): void }>((resolve) => {
    const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info) =>
      resolve({ base: `http://127.0.0.1:${info.port}`, close: () => server.close() }),
    );
  });
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gazette-desk-'));
  await mkdir(join(dir, 'bundle', 'assets'), { recursive: true });
  await writeFile(join(dir, 'bundle', 'index.html'), '<!doctype html><title>desk</title>');
  await writeFile(join(dir, 'bundle', 'assets', 'index-abc123.js'), 'console.log(1)');
  await writeFile(join(dir, 'secret.txt'), 'not for the web');
  ({ base, close } = await serve(join(dir, 'bundle')));
});
afterAll(async () => {
  close();
  await rm(dir, { recursive: true, force: true });
});

describe('the desk static handler', () => {
  it('serves index.html at /desk and at deep links, never cached, with a strict CSP', async () => {
    for (const path of ['/desk', '/desk/', '/desk/issues/204', '/desk/sends/abc']) {
      const res = await fetch(base + path);
      expect(res.status, path).toBe(200);
      expect(await res.text()).toContain('<title>desk</title>');
      expect(res.headers.get('cache-control')).toBe('no-cache');
      const csp = res.headers.get('content-security-policy') ?? '';
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).not.toContain('unsafe-inline');
    }
  });

  it('caches hashed assets for a year with their type', async () => {
    const res = await fetch(`${base}/desk/assets/index-abc123.js`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/javascript');
    expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
  });

  it('answers 404, not index.html, for a missing asset and for paths outside the bundle', async () => {
    for (const path of [
      '/desk/assets/index-old999.js',
      '/desk/favicon.ico',
      '/desk/assets/..%2f..%2fsecret.txt',
      '/desk/assets/%2e%2e/%2e%2e/secret.txt',
      '/desk/%E0%A4%A',
    ]) {
      const res = await fetch(base + path);
      expect(res.status, path).toBe(404);
      expect(await res.text()).not.toContain('not for the web');
    }
  });

  it('leaves /desk/api to the API', async () => {
    expect(await (await fetch(`${base}/desk/api/ping`)).json()).toEqual({ pong: true });
    const res = await fetch(`${base}/desk/api/nothing-here`);
    expect(res.status).toBe(404);
    expect(await res.text()).not.toContain('<title>desk</title>');
  });

  it('says how to build the app when the bundle is missing', async () => {
    const missing = await serve(join(dir, 'no-bundle'));
    try {
      const res = await fetch(`${missing.base}/desk/issues`);
      expect(res.status).toBe(503);
      expect(await res.text()).toBe(MISSING_BUNDLE);
      expect(MISSING_BUNDLE).toContain('npm run build:desk');
    } finally {
      missing.close();
    }
  });
});
