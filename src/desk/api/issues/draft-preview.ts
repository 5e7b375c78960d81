import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { z } from 'zod';
import { GMAIL_CLIP_BYTES } from '../../../compose/lint.ts';
import type { AnyRedis } from '../../../redis.ts';
import { redisKey } from '../../../redis.ts';
import type { DeskEnv } from '../desk-deps.ts';
import { ANY_ROLE, json, problems, REFUSALS, secured } from '../route-kit.ts';
import {
  type DraftPreview,
  DraftPreviewBody,
  DraftPreview as DraftPreviewSchema,
  ErrorAnswer,
  NumberParam,
  PreviewId,
  PreviewPageParams,
  ValidationAnswer,
} from '../schemas.ts';
import { createDraftCompiler, type DraftCompiler } from './draft-compiler.ts';

/** What the draft preview needs: Redis for the compiled HTML, and the server's public origin for images. */
export interface DraftPreviewDeps {
  redis: AnyRedis;
  prefix: string;
  publicUrl: string;
  /** Compiles drafts off the request thread (default: a pool of its own, see draft-compiler.ts). */
  compiler?: DraftCompiler;
}

const BUSY_RETRY_SECONDS = 2;
const BUSY: Record<'yours-running' | 'all-busy', string> = {
  'yours-running': 'Your previous previews are still being made; try again in a moment.',
  'all-busy': 'The server is busy making other previews; try again in a moment.',
};
const TOO_SLOW = 'This draft takes too long to preview; make it shorter.';
/** The web app has dropped such a request already (it aborts a preview a newer draft replaces). */
const SUPERSEDED = 'A newer draft of yours came in; it is previewed instead.';

/** A compiled preview is kept for 10 minutes: long enough to be framed, short enough to leave no trail. */
const KEEP_SECONDS = 600;
/** The mail's own styles are inline and its images remote; it runs no script and is framed only by the desk. */
const PREVIEW_CSP =
  "default-src 'none'; img-src https: http: data:; style-src 'unsafe-inline'; frame-ancestors 'self'; base-uri 'none'";

const NOT_A_DRAFT = 'The body must be JSON: {"issue": {...}}.';

const draftPreviewRoute = createRoute({
  method: 'post',
  path: '/issues/{number}/preview',
  summary: 'Compile an unsaved draft for the sample reader (kept 10 minutes); lint and size against Gmail',
  ...secured(...ANY_ROLE),
  request: { params: NumberParam, body: { ...json(DraftPreviewBody, 'The draft'), required: true } },
  responses: {
    200: json(DraftPreviewSchema, 'The preview: `html` is the path of its page'),
    400: json(ErrorAnswer, 'The body is not JSON `{"issue": {...}}`'),
    413: json(ErrorAnswer, 'The body is over 1 MB'),
    422: json(
      z.union([ValidationAnswer, ErrorAnswer]),
      'Invalid issue (the paths and words of `gazette validate`), a draft of another number, or one that takes over 10 s to compile',
    ),
    409: json(ErrorAnswer, 'A newer draft of the caller came in before this one was compiled; that one is'),
    503: json(
      ErrorAnswer,
      "The caller's previous previews are still being made, or the server is making others; try again after `Retry-After` seconds",
    ),
    ...REFUSALS,
  },
});

const previewPageRoute = createRoute({
  method: 'get',
  path: '/previews/{id}',
  summary: 'The HTML of a draft preview, for a frame of the desk (no script runs)',
  ...secured(...ANY_ROLE),
  request: { params: PreviewPageParams },
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
export function draftPreviewRoutes(api: OpenAPIHono<DeskEnv>, deps: DraftPreviewDeps): void {
  const compiler = deps.compiler ?? createDraftCompiler();
  const key = (id: string) => redisKey(deps.prefix, 'desk', 'preview', id);

  api.openapi(
    draftPreviewRoute,
    async (c) => {
      const { number } = c.req.valid('param');
      const job = { draft: c.req.valid('json').issue, number, publicUrl: deps.publicUrl };
      const outcome = await compiler.compile(c.get('caller').id, job);
      if (typeof outcome === 'string') {
        if (outcome === 'too-slow') return c.json({ error: TOO_SLOW }, 422);
        if (outcome === 'superseded') return c.json({ error: SUPERSEDED }, 409);
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
      return c.json(answer, 200);
    },
    // A body that is JSON but not `{issue}` is as unreadable as one that is not JSON: 400, not 422.
    (result, c) => {
      if (result.success) return;
      if (result.target === 'json') return c.json({ error: NOT_A_DRAFT }, 400);
      return c.json({ errors: problems(result.error) }, 422);
    },
  );

  api.openapi(previewPageRoute, async (c) => {
    const { id } = c.req.valid('param');
    if (!PreviewId.safeParse(id).success) return c.text('Not found', 404);
    const html = await deps.redis.get(key(id));
    if (html === null) return c.text('This preview has expired; edit the issue to make a new one.', 404);
    c.header('Content-Security-Policy', PREVIEW_CSP);
    c.header('Cache-Control', 'private, max-age=600');
    return c.html(html, 200);
  });
}
