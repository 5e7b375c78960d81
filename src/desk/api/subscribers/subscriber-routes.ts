import { Readable } from 'node:stream';
import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { addressHistory } from '../../../bounces/address-history.ts';
import { policySettings } from '../../../bounces/policy.ts';
import { GazetteError } from '../../../errors.ts';
import { codeOfIssue } from '../../../issue/message-code.ts';
import { importSubscribers } from '../../../subscribers/files/import.ts';
import { ListName } from '../../../subscribers/subscriber-schema.ts';
import { errorRefusal, refusal, wordsFor } from '../caller-language.ts';
import type { DeskDeps, DeskEnv } from '../desk-deps.ts';
import { audit, INVALID, JSON_CAP, json, MISSING, REFUSALS, secured, securedWithin } from '../route-kit.ts';
import {
  EmailParam,
  ImportQuery,
  ImportSummary,
  SubscriberHistory,
  SubscriberPageAnswer,
  SubscribersQuery,
} from '../schemas.ts';

const subscribersRoute = createRoute({
  method: 'get',
  path: '/subscribers',
  summary: 'Subscribers whose address or name contains `q`, on `list`, a page at a time (admin)',
  ...secured('admin'),
  request: { query: SubscribersQuery },
  responses: { 200: json(SubscriberPageAnswer, 'A page'), ...INVALID, ...REFUSALS },
});

const subscriberRoute = createRoute({
  method: 'get',
  path: '/subscribers/{email}',
  summary: "An address's history (`gazette subscribers show --json`) (admin)",
  ...secured('admin'),
  request: { params: EmailParam },
  responses: { 200: json(SubscriberHistory, 'The history'), ...MISSING, ...REFUSALS },
});

/** A subscriber CSV may be large (it is streamed into the import). */
const CSV_CAP = { ...JSON_CAP, bytes: 50 * 1024 * 1024 };

const importRoute = createRoute({
  method: 'post',
  path: '/subscribers/import',
  summary: 'Import a CSV body into `list` (admin); the good rows are imported, the others listed',
  ...securedWithin(CSV_CAP, 'admin'),
  request: {
    query: ImportQuery,
    body: {
      content: { 'text/csv': { schema: z.string() } },
      description: 'UTF-8 CSV with an email column',
      required: true,
    },
  },
  responses: { 200: json(ImportSummary, 'What the import did'), ...INVALID, ...REFUSALS },
});

const PAGE = 50;
/** Records read at most per request while looking for matches, so one search cannot hold Redis long. */
const SCAN = 5000;

/** Finding subscribers, reading one person's history, importing a CSV. */
export function subscriberRoutes(api: OpenAPIHono<DeskEnv>, deps: DeskDeps): void {
  const { subscribers } = deps;

  api.openapi(subscribersRoute, async (c) => {
    const { q, list, cursor } = c.req.valid('query');
    const needle = q?.trim().toLowerCase() ?? '';
    const rows: z.infer<typeof SubscriberPageAnswer>['subscribers'] = [];
    let after = Number(cursor ?? 0);
    let scanned = 0;
    let done = false;
    while (rows.length < PAGE && scanned < SCAN) {
      const page = await subscribers.pageAll(after, 500);
      if (page.length === 0) {
        done = true;
        break;
      }
      scanned += page.length;
      const lists = list ? await subscribers.listsOf(page.map((s) => s.id)) : [];
      for (const [i, s] of page.entries()) {
        after = s.id;
        const hit =
          `${s.email} ${s.name}`.toLowerCase().includes(needle) && (!list || lists[i]?.includes(list));
        if (hit)
          rows.push({
            email: s.email,
            name: s.name,
            locale: s.locale,
            status: s.status,
            createdAt: s.createdAt,
          });
        if (rows.length >= PAGE) break;
      }
    }
    return c.json({ subscribers: rows, cursor: done ? null : String(after) }, 200);
  });

  api.openapi(subscriberRoute, async (c) => {
    const { email } = c.req.valid('param');
    const history = await addressHistory(
      { subscribers, bounces: deps.bounces, settings: policySettings(deps.config) },
      email.trim(),
    );
    if (!history)
      return c.json(refusal('unknown-person', { email }, `Gazette knows nothing about ${email}.`), 404);
    return c.json(history as unknown as z.infer<typeof SubscriberHistory>, 200);
  });

  api.openapi(importRoute, async (c) => {
    const { list } = c.req.valid('query');
    const name = list === undefined ? undefined : ListName.safeParse(list);
    if (name && !name.success)
      return c.json(
        { errors: name.error.issues.map((i) => ({ path: 'list', message: i.message, ...codeOfIssue(i) })) },
        422,
      );
    const caller = c.get('caller');
    try {
      const result = await importSubscribers(subscribers, Readable.from([await c.req.text()]), {
        format: 'csv',
        by: `desk:${caller.id}`,
        wording: `Imported through the desk by ${caller.id}`,
        locale: deps.config.DEFAULT_LOCALE,
        resubscribe: false,
        ...(name?.success ? { list: name.data } : {}),
      });
      await audit(
        deps,
        c,
        'subscribers.import',
        `list:${name?.success ? name.data : 'default'} added:${result.added}`,
      );
      // Each refused row in the caller's language; `reason` keeps the English of `gazette subscribers import`.
      const words = wordsFor(c, true);
      const rejected = result.rejected.map((r) => ({ ...r, message: words({ ...r, message: r.reason }) }));
      return c.json({ ...result, rejected }, 200);
    } catch (err) {
      if (err instanceof GazetteError) {
        const { code, params, message } = errorRefusal(err);
        return c.json({ errors: [{ path: '', code, params, message }] }, 422);
      }
      throw err;
    }
  });
}
