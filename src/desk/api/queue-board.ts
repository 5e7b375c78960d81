import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { HonoAdapter } from '@bull-board/hono';
import { serveStatic } from '@hono/node-server/serve-static';
import type { Hono } from 'hono';
import type { DeskDeps } from './desk-deps.ts';
import { allow, authenticate, deskGuard } from './guard.ts';

/** Where Bull Board answers; admins only. */
export const QUEUE_BOARD_PATH = '/desk/queues';

/** Bull Board's page runs its own bundle and inline settings; it loads nothing from elsewhere. */
const BOARD_CSP =
  "default-src 'none'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; connect-src 'self'; base-uri 'none'; frame-ancestors 'none'";

/** Mounts Bull Board (the send and deliver queues) at /desk/queues behind the desk's guard, for admins only. */
export function mountQueueBoard(app: Hono, deps: DeskDeps): void {
  const adapter = new HonoAdapter(serveStatic).setBasePath(QUEUE_BOARD_PATH);
  createBullBoard({
    queues: [new BullMQAdapter(deps.queues.send), new BullMQAdapter(deps.queues.deliver)],
    // @bull-board/hono 9.10.1 brings its own @bull-board/api 9.10.1 beside our 9.10.2: the same
    // interface declared twice, which TypeScript cannot tell apart from two different ones.
    serverAdapter: adapter as unknown as Parameters<typeof createBullBoard>[0]['serverAdapter'],
    options: { uiConfig: { boardTitle: 'Gazette queues' } },
  });
  for (const path of [QUEUE_BOARD_PATH, `${QUEUE_BOARD_PATH}/*`]) {
    app.use(path, deskGuard(deps), authenticate(deps), allow('admin'), async (c, next) => {
      await next();
      c.header('Content-Security-Policy', BOARD_CSP);
    });
  }
  app.route(QUEUE_BOARD_PATH, adapter.registerPlugin());
}
