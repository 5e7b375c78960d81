import { Worker } from 'bullmq';
import { dedupedLog, reconnectDelay } from '../../redis-wait.ts';
import { confirmMailProcessor } from '../../subscribers/signup/confirm-mail.processor.ts';
import { CONFIRM_QUEUE, createConfirmQueue } from '../../subscribers/signup/confirm-queue.ts';
import { createSignupLimits } from '../../subscribers/signup/signup-limits.ts';
import type { Signups } from '../../subscribers/signup/take-signup.ts';
import { oneLine } from '../../text/one-line.ts';
import type { ServerDeps } from './server-deps.ts';

/** How long stopping waits for the confirmation worker and queue to let go. */
const CLOSE_WAIT_MS = 3000;

/**
 * The server's sign-up machinery: the limits, the queue a sign-up goes to and the worker that mails
 * it, off the request path. A BullMQ job (not an in-process queue) because nothing about the visitor is
 * stored until the mail is sent: a request the server accepted must outlive a restart of the server.
 */
export function startSignups(deps: ServerDeps): Signups & { close(): Promise<void> } {
  const prefix = deps.config.REDIS_PREFIX;
  const log = deps.log ?? console.error;
  const limits = createSignupLimits({ redis: deps.redis, prefix, config: deps.config });
  const queue = createConfirmQueue({ redis: deps.redis, prefix });
  // A Redis that is down makes these repeat at every reconnect (issue 10): each line once is enough.
  const once = dedupedLog(log);
  queue.on('error', (err: Error) => once(`confirmation queue: ${oneLine(err.message)}`));
  // Workers block on Redis: they need a connection of their own that never gives up on a command.
  // It (and BullMQ's copy of it) retries as quietly as it can: the server's own connection says why.
  const connection = deps.redis.duplicate({ maxRetriesPerRequest: null, retryStrategy: reconnectDelay });
  const processor = confirmMailProcessor({
    store: deps.store,
    config: deps.config,
    mailer: deps.mailer,
    mails: limits.mails,
    log,
  });
  const worker = new Worker(CONFIRM_QUEUE, processor, { connection, prefix, concurrency: 2 });
  worker.on('error', (err) => once(`confirmation worker: ${oneLine(err.message)}`));
  worker.on('failed', (job, err) =>
    log(`confirmation mail failed (try ${job?.attemptsMade ?? '?'}): ${oneLine(err.message)}`),
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
