import { Worker } from 'bullmq';
import type { Config } from '../src/config.ts';
import { QUEUE } from '../src/queue-names.ts';
import type { AnyRedis } from '../src/redis.ts';
import { dedupedLog } from '../src/redis-wait.ts';
import {
  type ConfirmMailDeps,
  confirmMailProcessor,
} from '../src/subscribers/signup/confirm-mail.processor.ts';
import type { ConfirmJob } from '../src/subscribers/signup/confirm-queue.ts';
import { oneLine } from '../src/text/one-line.ts';
import { workerOptions } from './worker-options.ts';

/**
 * The worker of the `confirm` queue: mails each sign-up its confirmation link. It runs on
 * `connection`, a blocking connection of its own (the server runs it in-process beside the pages).
 */
export function createConfirmWorker(
  deps: ConfirmMailDeps & { config: Config },
  connection: AnyRedis,
): Worker<ConfirmJob> {
  const worker = new Worker<ConfirmJob>(QUEUE.confirm, confirmMailProcessor(deps), {
    ...workerOptions(deps.config, 'confirm'),
    connection,
  });
  // A Redis that is down makes this repeat at every reconnect (issue 10): each line once is enough.
  const once = dedupedLog(deps.log);
  worker.on('error', (err) => once(`confirmation worker: ${oneLine(err.message)}`));
  worker.on('failed', (job, err) =>
    deps.log(`confirmation mail failed (try ${job?.attemptsMade ?? '?'}): ${oneLine(err.message)}`),
  );
  return worker;
}
