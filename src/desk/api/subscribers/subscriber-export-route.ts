import { PassThrough, Readable } from 'node:stream';
import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { z } from 'zod';
import { exportSubscribers } from '../../../subscribers/files/export.ts';
import type { DeskDeps, DeskEnv } from '../desk-deps.ts';
import { audit, REFUSALS, secured } from '../route-kit.ts';
import { ExportQuery } from '../schemas.ts';

const exportRoute = createRoute({
  method: 'get',
  path: '/subscribers/export',
  summary: 'Every subscriber (or one list), streamed as a CSV or JSONL download (admin)',
  ...secured('admin'),
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

/** `GET /subscribers/export` (admin): the answer is streamed as the store is read, never held whole. */
export function subscriberExportRoute(api: OpenAPIHono<DeskEnv>, deps: DeskDeps): void {
  api.openapi(exportRoute, async (c) => {
    const { format, list: named } = c.req.valid('query');
    const list = named || undefined;
    const out = new PassThrough();
    exportSubscribers(deps.subscribers, out, { format, ...(list ? { list } : {}) }).then(
      () => out.end(),
      (err: Error) => out.destroy(err),
    );
    await audit(deps, c, 'subscribers.export', list ? `list:${list}` : 'all');
    return new Response(Readable.toWeb(out) as ReadableStream, {
      headers: {
        'Content-Type': format === 'csv' ? 'text/csv; charset=utf-8' : 'application/x-ndjson',
        'Content-Disposition': `attachment; filename="subscribers.${format}"`,
        'Cache-Control': 'no-store',
      },
    });
  });
}
