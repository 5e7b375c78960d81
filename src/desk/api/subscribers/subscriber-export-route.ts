import { PassThrough, Readable } from 'node:stream';
import { createRoute } from '@hono/zod-openapi';
import { type Context, Hono, type MiddlewareHandler } from 'hono';
import { z } from 'zod';
import { exportSubscribers } from '../../../subscribers/files/export.ts';
import type { DeskDeps, DeskEnv } from '../desk-deps.ts';
import { audit, documented, REFUSALS } from '../route-kit.ts';

const FORMATS = ['csv', 'jsonl'] as const;

/** `GET /subscribers/export` query: the format (anything but `jsonl` is CSV) and one list, or all. */
export const ExportQuery = z.object({
  // zod-to-openapi cannot draw a `catch`: its type is spelled out for the document.
  format: z
    .enum(FORMATS)
    .catch('csv')
    .meta({
      type: 'string',
      enum: [...FORMATS],
      default: 'csv',
      description: 'CSV (the columns `subscribers import` reads back) or one JSON object a line',
    }),
  list: z.string().optional().meta({ description: 'Only the subscribers of this list' }),
});

/** Documentation of `GET /subscribers/export` (a plain Hono route: its answer is streamed). */
export const subscriberExportRoute = createRoute({
  method: 'get',
  path: '/subscribers/export',
  summary: 'Every subscriber (or one list), streamed as a CSV or JSONL download (admin)',
  ...documented('admin'),
  request: { query: ExportQuery },
  responses: {
    200: {
      content: {
        'text/csv': { schema: z.string() },
        'application/x-ndjson': { schema: z.string() },
      },
      description: 'The download, streamed (`Content-Disposition: attachment`)',
    },
    ...REFUSALS,
  },
});

/** The subscriber export below /desk/api; `admin` runs first (the desk's guard and the admin check). */
export function subscriberExportRoutes(deps: DeskDeps, admin: MiddlewareHandler): Hono {
  const app = new Hono();
  app.get(subscriberExportRoute.getRoutingPath(), admin, async (c) => {
    const query = ExportQuery.parse(c.req.query());
    const format = query.format;
    const list = query.list || undefined;
    const out = new PassThrough();
    exportSubscribers(deps.subscribers, out, { format, ...(list ? { list } : {}) }).then(
      () => out.end(),
      (err: Error) => out.destroy(err),
    );
    await audit(deps, c as unknown as Context<DeskEnv>, 'subscribers.export', list ? `list:${list}` : 'all');
    return new Response(Readable.toWeb(out) as ReadableStream, {
      headers: {
        'Content-Type': format === 'csv' ? 'text/csv; charset=utf-8' : 'application/x-ndjson',
        'Content-Disposition': `attachment; filename="subscribers.${format}"`,
        'Cache-Control': 'no-store',
      },
    });
  });
  return app;
}
