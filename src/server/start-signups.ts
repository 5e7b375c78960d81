import { Worker } from 'bullmq';
import { confirmMailProcessor } from '../subscribers/confirm-mail.processor.ts';
import { CONFIRM_QUEUE, createConfirmQueue } from '../subscribers/confirm-queue.ts';
import { createSignupLimits } from '../subscribers/signup-limits.ts';
import type { Signups } from '../subscribers/take-signup.ts';
import { oneLine } from '../text/one-line.ts';
import type { ServerDeps } from './deps.ts';

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
  queue.on('error', (err: Error) => log(`confirmation queue: ${oneLine(err.message)}`));
  // Workers block on Redis: they need a connection of their own that never gives up on a command.
  const connection = deps.redis.duplicate({ maxRetriesPerRequest: null });
  const processor = confirmMailProcessor({
    store: deps.store,
    config: deps.config,
    mailer: deps.mailer,
    mails: limits.mails,
    log,
  });
  const worker = new Worker(CONFIRM_QUEUE, processor, { connection, prefix, concurrency: 2 });
  // One line, no stack: a Redis that is down makes this repeat at every reconnect (issue 10).
  worker.on('error', (err) => log(`confirmation worker: ${oneLine(err.message)}`));
  worker.on('failed', (job, err) =>
    log(`confirmation mail failed (try ${job?.attemptsMade ?? '?'}): ${oneLine(err.message)}`),
  );
  return {
    limits,
    queue,
    async close() {
      await worker.close();
      await queue.close();
      connection.disconnect();
    },
  };
}
