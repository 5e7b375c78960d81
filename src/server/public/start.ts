import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { createApp } from './public-app.ts';
import type { ServerDeps } from './server-deps.ts';
import { type ConfirmWorkerFactory, startSignups } from './start-signups.ts';

/** A running server: the port it listens on (useful with port 0) and a way to stop it. */
export interface RunningServer {
  port: number;
  close(): Promise<void>;
}

/**
 * Starts the HTTP server on `port` (0 picks a free one) and resolves once it listens, with the
 * sign-up limits and the worker (made by `deps.confirmWorker`) that sends confirmation mails.
 */
export function startServer(
  deps: ServerDeps & { confirmWorker: ConfirmWorkerFactory },
  port: number,
  hostname?: string,
): Promise<RunningServer> {
  const signups = startSignups(deps, deps.confirmWorker);
  return new Promise((resolve, reject) => {
    const app = createApp({ ...deps, signups });
    const server = serve({ fetch: app.fetch, port, hostname }, (info: AddressInfo) => {
      resolve({
        port: info.port,
        close: async () => {
          await new Promise<void>((done, fail) => {
            server.close((err) => (err ? fail(err) : done()));
            if ('closeAllConnections' in server) server.closeAllConnections();
          });
          await signups.close();
        },
      });
    });
    server.once('error', (err) => {
      void signups.close();
      reject(err);
    });
  });
}
