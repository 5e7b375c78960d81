import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { HonoAdapter } from '@bull-board/hono';
import { serveStatic } from '@hono/node-server/serve-static';
import type { Hono } from 'hono';
import type { DeskDeps } from './api/deps.ts';
import { allow, authenticate, deskGuard } from './api/guard.ts';

/** Where Bull Board answers; admins only. */
export const QUEUE_BOARD_PATH = '/desk/queues';

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
    app.use(path, deskGuard(deps), authenticate(deps), allow('admin'));
  }
  app.route(QUEUE_BOARD_PATH, adapter.registerPlugin());
}
