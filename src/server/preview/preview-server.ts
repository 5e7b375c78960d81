import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import type { FetchPolicy } from '../../issue/link-checks/guarded-request.ts';
import { createPreviewApp, type PreviewDeps } from './preview.ts';

/** Starts the preview server on `port` (0 picks a free one); resolves with its URL once it listens. */
export async function startPreview(opts: {
  dir: string;
  port: number;
  host?: string;
  report?: PreviewDeps['report'];
  outboxDir?: string;
  zone?: string;
  hosts?: readonly string[];
  /** What the check page's link checks may reach (CHECK_ALLOW_PRIVATE, CHECK_ALLOWED_PORTS). */
  policy?: FetchPolicy;
}) {
  const host = opts.host ?? '127.0.0.1';
  const preview = createPreviewApp({
    dir: opts.dir,
    ...(opts.report ? { report: opts.report } : {}),
    ...(opts.outboxDir ? { outboxDir: opts.outboxDir } : {}),
    ...(opts.zone ? { zone: opts.zone } : {}),
    ...(opts.hosts ? { hosts: opts.hosts } : {}),
    ...(opts.policy ? { remoteChecks: { policy: opts.policy } } : {}),
  });
  const server = await new Promise<ReturnType<typeof serve>>((ready) => {
    const s = serve({ fetch: preview.app.fetch, port: opts.port, hostname: host }, () => ready(s));
  });
  return {
    url: `http://${host}:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((done) => {
        preview.close();
        server.close(() => done());
        // Live-reload streams stay open by design; end them so close() returns.
        (server as { closeAllConnections?: () => void }).closeAllConnections?.();
      }),
  };
}
