import { createHash } from 'node:crypto';
import { createRoute } from '@hono/zod-openapi';
import { type Context, Hono, type MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { Redis } from 'ioredis';
import { z } from 'zod';
import { GMAIL_CLIP_BYTES, lintIssue } from '../../compose/lint.ts';
import { createPersonalizer } from '../../compose/personalize.ts';
import { compileIssue } from '../../compose/render.ts';
import { SAMPLE_READER } from '../../compose/sample-reader.ts';
import { withStandInImages } from '../../issue/placeholder.ts';
import { formatPath, Issue } from '../../issue/schema.ts';
import { redisKey } from '../../redis.ts';
import { NumberParam } from './issue-routes.ts';
import { ANY_ROLE, documented, json, MAX_JSON_BYTES, REFUSALS } from './route-kit.ts';
import { ErrorAnswer, ValidationAnswer } from './schemas.ts';

/** The body of `POST /issues/:number/preview`: an unsaved draft. */
export const DraftPreviewBody = z
  .object({ issue: z.unknown().meta({ description: 'The draft issue JSON, saved or not.' }) })
  .meta({ id: 'DraftPreviewBody' });

/** The answer: where the compiled HTML is framed from, the text, the size against Gmail's clip, the lint. */
export const DraftPreview = z
  .object({
    id: z.string(),
    html: z.string(),
    text: z.string(),
    bytes: z.number().int(),
    clipBytes: z.number().int(),
    warnings: z.array(z.object({ message: z.string(), path: z.string().optional() })),
  })
  .meta({ id: 'DraftPreview' });
export type DraftPreview = z.infer<typeof DraftPreview>;

/** What the draft preview needs: Redis for the compiled HTML, and the server's public origin for images. */
export interface DraftPreviewDeps {
  redis: Redis;
  prefix: string;
  publicUrl: string;
  /** Runs before each route: the desk API's session and role check (writer or above). */
  guard: MiddlewareHandler;
}

/** A compiled preview is kept for 10 minutes: long enough to be framed, short enough to leave no trail. */
const KEEP_SECONDS = 600;
/** The mail's own styles are inline and its images remote; it runs no script and is framed only by the desk. */
const PREVIEW_CSP =
  "default-src 'none'; img-src https: http: data:; style-src 'unsafe-inline'; frame-ancestors 'self'; base-uri 'none'";

/** The preview page's id, as `POST /issues/:number/preview` answers it. */
const PreviewId = z.object({ id: z.string().regex(/^[\w-]{32}$/) });

/** Documentation of `POST /issues/:number/preview` (a plain Hono route: it answers 400 for junk itself). */
export const draftPreviewRoute = createRoute({
  method: 'post',
  path: '/issues/{number}/preview',
  summary: 'Compile an unsaved draft for the sample reader (kept 10 minutes); lint and size against Gmail',
  ...documented(...ANY_ROLE),
  request: { params: NumberParam, body: { ...json(DraftPreviewBody, 'The draft'), required: true } },
  responses: {
    200: json(DraftPreview, 'The preview: `html` is the path of its page'),
    400: json(ErrorAnswer, 'The body is not JSON `{"issue": {...}}`'),
    413: json(ErrorAnswer, 'The body is over 1 MB'),
    422: json(
      z.union([ValidationAnswer, ErrorAnswer]),
      'Invalid issue (the paths and words of `gazette validate`), or a draft of another number',
    ),
    ...REFUSALS,
  },
});

/** Documentation of `GET /previews/:id`. */
export const previewPageRoute = createRoute({
  method: 'get',
  path: '/previews/{id}',
  summary: 'The HTML of a draft preview, for a frame of the desk (no script runs)',
  ...documented(...ANY_ROLE),
  request: { params: PreviewId },
  responses: {
    200: {
      content: { 'text/html': { schema: z.string() } },
      description: 'The mail as the sample reader gets it',
    },
    404: { content: { 'text/plain': { schema: z.string() } }, description: 'No such preview, or it expired' },
    ...REFUSALS,
  },
});

/**
 * Routes (below /desk/api) that preview an unsaved draft, so the editor's preview follows each
 * keystroke pause without saving a revision: `POST /issues/:number/preview` validates and compiles
 * the draft for the sample reader (422 with `validate`'s paths and words when invalid), and
 * `GET /previews/:id` serves the compiled HTML. The same draft is compiled once (keyed by its hash).
 */
export function draftPreviewRoutes(deps: DraftPreviewDeps): Hono {
  const app = new Hono();
  const key = (id: string) => redisKey(deps.prefix, 'desk', 'preview', id);

  // Mounted before the API (and its body limit), so it sets the API's own.
  const limit = bodyLimit({
    maxSize: MAX_JSON_BYTES,
    onError: (c) => c.json({ error: 'The body is too large.' }, 413),
  });
  app.post(draftPreviewRoute.getRoutingPath(), deps.guard, limit, async (c) => {
    const body = DraftPreviewBody.safeParse(await c.req.json().catch(() => null));
    if (!body.success) return c.json({ error: 'The body must be JSON: {"issue": {...}}.' }, 400);
    const parsed = Issue.safeParse(body.data.issue);
    if (!parsed.success) {
      const errors = parsed.error.issues.map((i) => ({ path: formatPath(i.path), message: i.message }));
      return c.json({ errors }, 422);
    }
    const issue = parsed.data;
    if (String(issue.number) !== c.req.param('number')) {
      return c.json({ error: `The draft is No.${issue.number}, not No.${c.req.param('number')}.` }, 422);
    }
    const id = createHash('sha256').update(JSON.stringify(issue)).digest('base64url').slice(0, 32);
    const compiled = await compileIssue(withStandInImages(issue), { publicUrl: deps.publicUrl });
    const mail = createPersonalizer(compiled)(SAMPLE_READER);
    await deps.redis.set(key(id), mail.html, 'EX', KEEP_SECONDS);
    const answer: DraftPreview = {
      id,
      html: `/desk/api/previews/${id}`,
      text: mail.text,
      bytes: Buffer.byteLength(mail.html),
      clipBytes: GMAIL_CLIP_BYTES,
      warnings: lintIssue(issue, compiled.html).map(({ message, path }) => ({ message, path })),
    };
    return c.json(answer);
  });

  app.get(previewPageRoute.getRoutingPath(), deps.guard, async (c: Context) => {
    const id = c.req.param('id') ?? '';
    if (!PreviewId.safeParse({ id }).success) return c.text('Not found', 404);
    const html = await deps.redis.get(key(id));
    if (html === null) return c.text('This preview has expired; edit the issue to make a new one.', 404);
    c.header('Content-Security-Policy', PREVIEW_CSP);
    c.header('Cache-Control', 'private, max-age=600');
    return c.html(html);
  });

  return app;
}
