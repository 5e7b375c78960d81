import { pathToFileURL } from 'node:url';
import { createDeskNotifier } from '../src/accounts/desk-notices.ts';
import { createGazette } from '../src/app.ts';
import { startBounceClassifier } from '../src/bounces/bounce-classifier.ts';
import { type Config, loadConfig } from '../src/config.ts';
import { closeQueue } from '../src/queue-names.ts';
import { connectRedis } from '../src/redis.ts';
import { dedupedLog, resilientOptions, untilReady } from '../src/redis-wait.ts';
import { sendFinishedNotice } from '../src/report/send-finished-notice.ts';
import { createMailer } from '../src/send/wire/transport.ts';
import { createBounceWorker } from './bounce.worker.ts';
import { createDeliverWorker } from './deliver.worker.ts';
import { createSendWorker } from './send.worker.ts';

/** Running workers: `close` lets messages in flight finish, hands unfinished batches back, and disconnects. */
export interface RunningWorkers {
  /** Where the mail goes (the relay, or the built-in sink's folder). */
  target: string;
  close(): Promise<void>;
}

/** How long a stopping worker waits for messages in flight before it exits anyway (they are retried). */
export const SHUTDOWN_MS = 8000;

/**
 * The workers' composition root: waits until Redis answers (saying so, with the backoff, while it
 * does not; `signal` gives up), then starts the send (fan-out), deliver and bounce workers of this
 * process, sharing one Redis connection for data, one SMTP pool and, without SMTP_URL, one sink; the
 * bounce worker classifies in a thread of its own.
 */
export async function startWorkers(
  config: Config,
  log: (msg: string) => void,
  signal?: AbortSignal,
): Promise<RunningWorkers> {
  const watch = resilientOptions(config, log);
  const redis = connectRedis(config, watch.options);
  redis.on('error', watch.onError);
  try {
    await untilReady(redis, signal);
  } catch (err) {
    redis.disconnect();
    throw err;
  }
  const quiet = dedupedLog(log);
  const gazette = createGazette(config, { redis, log: quiet });
  const { sends, subscribers, policy, queues } = gazette;
  const mailer = await createMailer(config, log);
  // Bounce mail is read in a thread of its own, so no message can stall the deliveries (issue 17). It
  // starts first: once a worker below exists it takes jobs, and "ready" must not come after that.
  const classifier = await startBounceClassifier();
  let stopping = false;
  // Who worked on an issue hears when its send finishes (issue 18), through this process's SMTP pool.
  const notifier = createDeskNotifier({ ...gazette, mailer, log: quiet });
  const onFinished = sendFinishedNotice({ ...gazette, notifier });
  const send = createSendWorker({ sends, subscribers, queues, config, log: quiet, onFinished });
  const deliver = createDeliverWorker(
    {
      sends,
      subscribers,
      mailer,
      bounces: policy,
      config,
      log: quiet,
      // Without Redis a message's record cannot be written, and the batch's lock cannot be renewed
      // (another worker may take it up): stop as at a shutdown, so that a failover repeats at most the
      // messages in flight.
      stopping: () => stopping || redis.status !== 'ready',
      onFinished,
    },
    queues.deliver,
  );
  const bounce = createBounceWorker({
    policy,
    bounces: policy.bounces,
    classifier,
    subscribers,
    config,
    log: quiet,
  });
  return {
    target: mailer.target,
    async close() {
      stopping = true;
      await Promise.all([closeQueue(send), closeQueue(deliver), closeQueue(bounce)]);
      await Promise.all([mailer.close(), classifier.close()]);
      await gazette.close();
      await redis.quit();
    },
  };
}

/** Resolves with the first SIGTERM or SIGINT. */
function nextSignal(): Promise<string> {
  return new Promise((resolve) => {
    process.once('SIGTERM', () => resolve('SIGTERM'));
    process.once('SIGINT', () => resolve('SIGINT'));
  });
}

/**
 * Runs the workers until SIGTERM or SIGINT, then shuts down gracefully; a signal while Redis does
 * not answer stops at once, and a shutdown that takes over SHUTDOWN_MS ends the process anyway.
 */
export async function runWorkers(config: Config, log: (msg: string) => void): Promise<void> {
  const pid = process.pid;
  const signal = nextSignal();
  const abort = new AbortController();
  void signal.then((name) => abort.abort(new Error(name)));
  let workers: RunningWorkers;
  try {
    workers = await startWorkers(config, log, abort.signal);
  } catch (err) {
    if (!abort.signal.aborted) throw err;
    log(`worker ${pid}: ${await signal} before Redis answered; stopped`);
    return;
  }
  log(`worker ${pid} ready: sending to ${workers.target}`);
  log(`worker ${pid}: ${await signal}, finishing messages in flight`);
  const timer = setTimeout(() => {
    log(
      `worker ${pid}: not finished after ${SHUTDOWN_MS / 1000} s; exiting (unrecorded messages are sent again)`,
    );
    process.exit(1);
  }, SHUTDOWN_MS);
  timer.unref();
  await workers.close().catch((err: Error) => log(`worker ${pid}: shutdown error: ${err.message}`));
  clearTimeout(timer);
  log(`worker ${pid} stopped`);
}

const logLine = (msg: string) => console.error(`${new Date().toISOString()} ${msg}`);

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await runWorkers(loadConfig(), logLine);
}
