import { readFile } from 'node:fs/promises';
import type { MiddlewareHandler } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDraftCompiler, type DraftCompiler } from '../../src/desk/api/issues/draft-compiler.ts';
import { draftPreviewRoutes } from '../../src/desk/api/issues/draft-preview.ts';
import { scaffoldIssue } from '../../src/issue/drafts/scaffold.ts';
import { Issue } from '../../src/issue/schema.ts';
import { deskRoutes, signedIn } from '../helpers/desk-routes.ts';
import { bloatedIssueJson } from '../helpers/issues.ts';
import { type TestRedis, testRedis } from '../helpers/redis.ts';

let t: TestRedis;
let compiler: DraftCompiler;
let issue: Record<string, unknown>;
const refuse: MiddlewareHandler = async (c) => c.json({ error: 'Sign in first.' }, 401);

const app = (guard = signedIn) =>
  deskRoutes(
    (api) =>
      draftPreviewRoutes(api, { redis: t.redis, prefix: t.prefix, publicUrl: 'http://desk.test', compiler }),
    guard,
  );
const post = (body: unknown, number = 203, guard = signedIn) =>
  app(guard).request(`/issues/${number}/preview`, {
    method: 'POST',
    // English, the words `gazette validate` prints (other callers get them in their language).
    headers: { 'Content-Type': 'application/json', 'Accept-Language': 'en' },
    body: JSON.stringify(body),
  });

beforeAll(async () => {
  t = await testRedis('draft-preview');
  compiler = createDraftCompiler();
  issue = JSON.parse(await readFile('issues/203.json', 'utf8'));
});
afterAll(async () => {
  await compiler.close();
  await t.cleanup();
});

describe('POST /issues/:number/preview', () => {
  it('refuses a body over 1 MB with 413 and compiles nothing', async () => {
    const res = await post({ issue: { ...issue, preheader: 'x'.repeat(1024 * 1024) } });
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({ error: 'The body is too large.', code: 'body-too-large' });
  });

  it('compiles an unsaved draft for the sample reader and frames its HTML from /previews/:id', async () => {
    const res = await post({ issue: { ...issue, subject: 'An unsaved subject' } });
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.html).toMatch(/^\/desk\/api\/previews\/[\w-]{32}$/);
    expect(body.bytes).toBeGreaterThan(10_000);
    expect(body.clipBytes).toBe(102 * 1024);
    expect(body.text).toContain('オンライン国際会議');
    const html = await app().request(body.html.replace('/desk/api', ''));
    expect(html.status).toBe(200);
    expect(await html.text()).toContain('An unsaved subject');
    const csp = html.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).not.toContain('script-src');
  });

  it('gives the same id to the same draft, a new one to an edit', async () => {
    const a = await (await post({ issue })).json();
    const b = await (await post({ issue })).json();
    const c = await (await post({ issue: { ...issue, preheader: 'changed' } })).json();
    expect(b.id).toBe(a.id);
    expect(c.id).not.toBe(a.id);
  });

  it("refuses an invalid draft with validate's paths and words, and stores nothing", async () => {
    const before = await t.redis.keys(`${t.prefix}:*`);
    const lead = { ...(issue.lead as object), url: 'javascript:alert(1)' };
    const res = await post({ issue: { ...issue, lead } });
    expect(res.status).toBe(422);
    expect((await res.json()).errors).toContainEqual({
      path: 'lead.url',
      code: 'link',
      params: {},
      message: 'must be an https:// or http:// link',
    });
    expect(await t.redis.keys(`${t.prefix}:*`)).toEqual(before);
  });

  it('previews a scaffold full of placeholders, drawing each placeholder image as a box, asking for no file', async () => {
    const scaffold = scaffoldIssue(Issue.parse(issue));
    const res = await post({ issue: scaffold }, 204);
    expect(res.status).toBe(200);
    const body = await res.json();
    // A text still to be written is empty in the preview, as the form shows it (issue 18).
    expect(body.text).not.toContain('[[TODO]] title');
    expect(body.text).toContain((issue.footer as { copyright: string }).copyright);
    const html = await (await app().request(body.html.replace('/desk/api', ''))).text();
    const srcs = [...html.matchAll(/<img[^>]+src="([^"]+)"/g)].map((m) => m[1] ?? '');
    expect(srcs.length).toBeGreaterThanOrEqual(5);
    expect(srcs.filter((src) => !src.startsWith('data:image/svg+xml,'))).toEqual([]);
    expect(decodeURIComponent(srcs[0] ?? '')).toContain('width="600"');
    expect(html).not.toMatch(/>\s*\[\[TODO\]\][^<]*</);
  });

  it("gives the lint's warnings a code and values the desk words, beside the English message", async () => {
    const lead = { ...(issue.lead as object), url: 'http://example.com/' };
    const body = await (await post({ issue: { ...issue, lead, preheader: undefined } })).json();
    expect(body.warnings).toContainEqual({
      code: 'link-http',
      params: {},
      path: 'lead.url',
      message: 'http:// link: prefer https://',
    });
    expect(body.warnings).toContainEqual(
      expect.objectContaining({ code: 'preheader-missing', path: 'preheader' }),
    );
  });

  it('refuses a body that is not {issue} and a draft of another number', async () => {
    const junk = await app().request('/issues/203/preview', { method: 'POST', body: 'not json' });
    expect(junk.status).toBe(400);
    const other = await post({ issue }, 204);
    expect(other.status).toBe(422);
    expect((await other.json()).error).toContain('No.203');
  });

  it('answers 404 for an unknown or malformed preview id, and runs the guard first', async () => {
    expect((await app().request('/previews/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa')).status).toBe(404);
    expect((await app().request('/previews/..%2f..')).status).toBe(404);
    expect((await post({ issue }, 203, refuse)).status).toBe(401);
    const { id } = await (await post({ issue })).json();
    expect((await app(refuse).request(`/previews/${id}`)).status).toBe(401);
  });

  it('ends a compile past its time budget and says so in a sentence', async () => {
    const slow = createDraftCompiler({ running: 1, waiting: 0, perAuthor: 1, budgetMs: 300 });
    try {
      const hurried = (body: unknown) =>
        deskRoutes((api) =>
          draftPreviewRoutes(api, {
            redis: t.redis,
            prefix: t.prefix,
            publicUrl: 'http://desk.test',
            compiler: slow,
          }),
        ).request('/issues/203/preview', {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify(body),
        });
      const started = performance.now();
      const res = await hurried({ issue: bloatedIssueJson(680 * 1024) });
      expect(res.status).toBe(422);
      expect(await res.json()).toEqual({ error: 'This draft takes too long to preview; make it shorter.' });
      expect(performance.now() - started).toBeLessThan(3000);
    } finally {
      await slow.close();
    }
  }, 60_000);
});
