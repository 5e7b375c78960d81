import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import type { Signups } from '../../subscribers/signup/take-signup.ts';
import { createApp } from './public-app.ts';
import type { ServerDeps } from './server-deps.ts';
import { startSignups } from './start-signups.ts';

/** A running server: the port it listens on (useful with port 0) and a way to stop it. */
export interface RunningServer {
  port: number;
  close(): Promise<void>;
}

/**
 * Starts the HTTP server on `port` (0 picks a free one) and resolves once it listens. Without
 * `deps.signups` it also starts the sign-up limits and the worker that sends confirmation mails.
 */
export function startServer(deps: ServerDeps, port: number, hostname?: string): Promise<RunningServer> {
  const own = deps.signups ? null : startSignups(deps);
  return new Promise((resolve, reject) => {
    const app = createApp({ ...deps, signups: own ?? (deps.signups as Signups) });
    const server = serve({ fetch: app.fetch, port, hostname }, (info: AddressInfo) => {
      resolve({
        port: info.port,
        close: async () => {
          await new Promise<void>((done, fail) => {
            server.close((err) => (err ? fail(err) : done()));
            if ('closeAllConnections' in server) server.closeAllConnections();
          });
          await own?.close();
        },
      });
    });
    server.once('error', (err) => {
      void own?.close();
      reject(err);
    });
  });
}
