import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { refusal } from '../caller-language.ts';
import type { DeskDeps, DeskEnv } from '../desk-deps.ts';
import { ANY_ROLE, json, MISSING, REFUSALS, secured } from '../route-kit.ts';
import { type IssueJson, RevisionAnswer, RevisionParams } from '../schemas.ts';

const revisionRoute = createRoute({
  method: 'get',
  path: '/issues/{number}/revisions/{revision}',
  summary: 'The issue JSON as saved in one revision (to compare or restore it)',
  ...secured(...ANY_ROLE),
  request: { params: RevisionParams },
  responses: { 200: json(RevisionAnswer, 'The revision'), ...MISSING, ...REFUSALS },
});

/** GET /issues/:number/revisions/:revision. */
export function issueRevisionRoutes(api: OpenAPIHono<DeskEnv>, deps: DeskDeps): void {
  api.openapi(revisionRoute, async (c) => {
    const { number, revision } = c.req.valid('param');
    const n = Number(number);
    const rev = Number(revision);
    const issue = await deps.issues.revision(n, deps.config.DEFAULT_LOCALE, rev);
    if (issue == null) {
      return c.json(
        refusal('no-revision', { number: n, revision: rev }, `Issue ${n} has no revision ${rev}.`),
        404,
      );
    }
    return c.json({ revision: rev, issue: issue as IssueJson }, 200);
  });
}
