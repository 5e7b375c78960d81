import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { createApp } from './app.ts';
import type { ServerDeps } from './deps.ts';

/** A running server: the port it listens on (useful with port 0) and a way to stop it. */
export interface RunningServer {
  port: number;
  close(): Promise<void>;
}

/** Starts the HTTP server on `port` (0 picks a free one) and resolves once it listens. */
export function startServer(deps: ServerDeps, port: number, hostname?: string): Promise<RunningServer> {
  return new Promise((resolve, reject) => {
    const server = serve({ fetch: createApp(deps).fetch, port, hostname }, (info: AddressInfo) => {
      resolve({
        port: info.port,
        close: () =>
          new Promise<void>((done, fail) => {
            server.close((err) => (err ? fail(err) : done()));
            if ('closeAllConnections' in server) server.closeAllConnections();
          }),
      });
    });
    server.once('error', reject);
  });
}
