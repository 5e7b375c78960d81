import type { Config } from '../../config.ts';
import { type AnyRedis, blockingCopy } from '../../redis.ts';
import { dedupedLog, reconnectDelay } from '../../redis-wait.ts';
import type { ConfirmMailDeps } from '../../subscribers/signup/confirm-mail.processor.ts';
import { createConfirmQueue } from '../../subscribers/signup/confirm-queue.ts';
import { createSignupLimits } from '../../subscribers/signup/signup-limits.ts';
import type { Signups } from '../../subscribers/signup/take-signup.ts';
import { oneLine } from '../../text/one-line.ts';
import type { ServerDeps } from './server-deps.ts';

/**
 * Starts the `confirm` queue's worker on `connection`: workers/confirm.worker.ts's createConfirmWorker,
 * handed in by the composition root (the CLI's server command, a test), because src/ imports nothing
 * from workers/.
 */
export type ConfirmWorkerFactory = (
  deps: ConfirmMailDeps & { config: Config },
  connection: AnyRedis,
) => { close(): Promise<void> };

/** How long stopping waits for the confirmation worker and queue to let go. */
const CLOSE_WAIT_MS = 3000;

/**
 * The server's sign-up machinery: the limits, the queue a sign-up goes to and the worker that mails
 * it (made by `confirmWorker`, run in-process), off the request path. A BullMQ job (not an
 * in-process queue) because nothing about the visitor is stored until the mail is sent: a request
 * the server accepted must outlive a restart of the server.
 */
export function startSignups(
  deps: ServerDeps,
  confirmWorker: ConfirmWorkerFactory,
): Signups & { close(): Promise<void> } {
  const prefix = deps.config.REDIS_PREFIX;
  const log = deps.log ?? console.error;
  const limits = createSignupLimits({ redis: deps.redis, prefix, config: deps.config });
  const queue = createConfirmQueue({ redis: deps.redis, prefix });
  // A Redis that is down makes these repeat at every reconnect (issue 10): each line once is enough.
  const once = dedupedLog(log);
  queue.on('error', (err: Error) => once(`confirmation queue: ${oneLine(err.message)}`));
  // Workers block on Redis: they need a connection of their own that never gives up on a command.
  // It (and BullMQ's copy of it) retries as quietly as it can: the server's own connection says why.
  const connection = blockingCopy(deps.redis, reconnectDelay);
  // The same worker `workers/` holds, run in the server's process: a sign-up needs no worker process.
  const worker = confirmWorker(
    { subscribers: deps.subscribers, config: deps.config, mailer: deps.mailer, mails: limits.mails, log },
    connection,
  );
  return {
    limits,
    queue,
    async close() {
      // With Redis down, BullMQ's close waits for a connection that never comes: nothing in flight can
      // finish without Redis anyway, so drop the connection first and bound the wait (issue 10).
      if (connection.status !== 'ready') connection.disconnect();
      const bound = new Promise<void>((resolve) => setTimeout(resolve, CLOSE_WAIT_MS).unref());
      await Promise.race([Promise.all([worker.close(), queue.close()]), bound]);
      connection.disconnect();
    },
  };
}
