import { createRoute } from '@hono/zod-openapi';
import { type Context, Hono, type MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { Redis } from 'ioredis';
import { z } from 'zod';
import { GMAIL_CLIP_BYTES } from '../../../compose/lint.ts';
import { redisKey } from '../../../redis.ts';
import type { DeskEnv } from '../desk-deps.ts';
import { ANY_ROLE, documented, json, MAX_JSON_BYTES, REFUSALS } from '../route-kit.ts';
import { ErrorAnswer, MessageParams, ValidationAnswer } from '../schemas.ts';
import { createDraftCompiler, type DraftCompiler } from './draft-compiler.ts';
import { NumberParam } from './issue-routes.ts';

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
    warnings: z.array(
      z.object({ code: z.string(), params: MessageParams, message: z.string(), path: z.string().optional() }),
    ),
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
  /** Compiles drafts off the request thread (default: a pool of its own, see draft-compiler.ts). */
  compiler?: DraftCompiler;
}

const BUSY_RETRY_SECONDS = 2;
const BUSY: Record<'yours-running' | 'all-busy', string> = {
  'yours-running': 'Your previous previews are still being made; try again in a moment.',
  'all-busy': 'The server is busy making other previews; try again in a moment.',
};
const TOO_SLOW = 'This draft takes too long to preview; make it shorter.';

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
      'Invalid issue (the paths and words of `gazette validate`), a draft of another number, or one that takes over 10 s to compile',
    ),
    503: json(
      ErrorAnswer,
      "The caller's previous preview is still being made, or the server is making others; try again after `Retry-After` seconds",
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
 * the draft for the sample reader in a worker thread (422 with `validate`'s paths and words when
 * invalid; 503 with Retry-After while the author's previous draft or every thread is busy), and
 * `GET /previews/:id` serves the compiled HTML, kept under the draft's hash.
 */
export function draftPreviewRoutes(deps: DraftPreviewDeps): Hono<DeskEnv> {
  const app = new Hono<DeskEnv>();
  const compiler = deps.compiler ?? createDraftCompiler();
  const key = (id: string) => redisKey(deps.prefix, 'desk', 'preview', id);

  // Mounted before the API (and its body limit), so it sets the API's own.
  const limit = bodyLimit({
    maxSize: MAX_JSON_BYTES,
    onError: (c) => c.json({ error: 'The body is too large.' }, 413),
  });
  app.post(draftPreviewRoute.getRoutingPath(), deps.guard, limit, async (c: Context<DeskEnv>) => {
    const body = DraftPreviewBody.safeParse(await c.req.json().catch(() => null));
    if (!body.success) return c.json({ error: 'The body must be JSON: {"issue": {...}}.' }, 400);
    const number = c.req.param('number') ?? '';
    // Signed in, there is a caller; the route's own tests run it behind a guard that sets none.
    const author = c.get('caller')?.id ?? '';
    const job = { draft: body.data.issue, number, publicUrl: deps.publicUrl };
    const outcome = await compiler.compile(author, job);
    if (typeof outcome === 'string') {
      if (outcome === 'too-slow') return c.json({ error: TOO_SLOW }, 422);
      c.header('Retry-After', String(BUSY_RETRY_SECONDS));
      return c.json({ error: BUSY[outcome] }, 503);
    }
    if (outcome.kind === 'invalid') return c.json({ errors: outcome.errors }, 422);
    if (outcome.kind === 'other-number') {
      return c.json({ error: `The draft is No.${outcome.number}, not No.${number}.` }, 422);
    }
    await deps.redis.set(key(outcome.id), outcome.html, 'EX', KEEP_SECONDS);
    const answer: DraftPreview = {
      id: outcome.id,
      html: `/desk/api/previews/${outcome.id}`,
      text: outcome.text,
      bytes: Buffer.byteLength(outcome.html),
      clipBytes: GMAIL_CLIP_BYTES,
      warnings: outcome.warnings,
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
