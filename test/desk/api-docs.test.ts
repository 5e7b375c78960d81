import { get } from 'node:http';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACCOUNTS, startTestDesk, type TestDesk } from '../helpers/desk-server.ts';

let desk: TestDesk;
let cookie: string;

beforeAll(async () => {
  desk = await startTestDesk('desk-api-docs');
  cookie = await desk.signIn(ACCOUNTS.writer);
});
afterAll(async () => {
  await desk?.close();
});

/** A CSP header as directive → sources. */
function directives(csp: string): Record<string, string[]> {
  return Object.fromEntries(
    csp
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .filter((d) => d[0])
      .map(([name, ...sources]) => [name, sources]),
  );
}

describe('GET /desk/api/docs', () => {
  it('runs one script, the bundle from our own origin, and its CSP lets no other script, host or eval in', async () => {
    const res = await desk.call('GET', '/docs', { cookie });
    expect(res.status).toBe(200);
    const page = await res.text();
    const bundle = `${desk.origin}/desk/api/docs/scalar.js`;
    const scripts = [...page.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
    // Only the bundle runs; the configuration rides on an empty JSON block, which never runs.
    expect(scripts.map(([, attrs]) => /\bsrc="([^"]*)"/.exec(attrs as string)?.[1] ?? null)).toEqual([
      null,
      '/desk/api/docs/scalar.js',
    ]);
    expect(scripts[0]?.[1]).toContain('type="application/json"');
    expect(scripts.map(([, , body]) => body)).toEqual(['', '']);
    expect(page).not.toMatch(/https?:\/\//);

    const csp = directives(res.headers.get('content-security-policy') ?? '');
    expect(csp['default-src']).toEqual(["'none'"]);
    expect(csp['script-src']).toEqual([bundle]);
    expect(csp['connect-src']).toEqual(["'self'"]);
    // Scalar writes <style> elements and style="" attributes: styles are the one inline allowance.
    expect(csp['style-src']).toEqual(["'unsafe-inline'"]);
    for (const [name, sources] of Object.entries(csp)) {
      for (const source of sources) {
        const url = /^https?:|^\w[\w.-]*\.\w+/.test(source) ? source : null;
        expect(url === null || url.startsWith(`${desk.origin}/`), `${name} ${source}`).toBe(true);
        if (name !== 'style-src') expect(source, name).not.toMatch(/unsafe-inline|unsafe-eval|\*/);
      }
    }
  });

  it('serves the bundle from the installed package, compressed, to signed-in callers only', async () => {
    expect((await desk.call('GET', '/docs/scalar.js')).status).toBe(401);
    expect((await desk.call('GET', '/docs')).status).toBe(401);
    // node:http, not fetch: fetch would unzip the body and hide how much went over the wire.
    const res = await new Promise<{ headers: Record<string, unknown>; status?: number; body: Buffer }>(
      (resolve, reject) => {
        const url = `${desk.origin}/desk/api/docs/scalar.js`;
        get(url, { headers: { cookie, 'accept-encoding': 'gzip' } }, (r) => {
          const chunks: Buffer[] = [];
          r.on('data', (c: Buffer) => chunks.push(c));
          r.on('end', () =>
            resolve({ headers: r.headers, status: r.statusCode, body: Buffer.concat(chunks) }),
          );
        }).on('error', reject);
      },
    );
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(res.headers['content-encoding']).toBe('gzip');
    const gzipped = res.body;
    const script = gunzipSync(gzipped).toString('utf8');
    // Scalar's zod must not probe `new Function` (an eval the CSP reports): jitless before anything runs.
    expect(script.split('\n')[0]).toBe(
      'globalThis.__zod_globalConfig = { ...globalThis.__zod_globalConfig, jitless: true };',
    );
    expect(script).toContain('createApiReference');
    console.log(JSON.stringify({ bundleBytes: script.length, gzippedBytes: gzipped.length }));
  });
});
