import { pathToFileURL } from 'node:url';
import { createBouncePolicy } from '../src/bounces/policy.ts';
import { type Config, loadConfig } from '../src/config.ts';
import { createRedis } from '../src/redis.ts';
import { bounceSendControl } from '../src/send/bounce-control.ts';
import { createQueues } from '../src/send/queues.ts';
import { createSendStore } from '../src/send/send-store.ts';
import { createMailer } from '../src/send/transport.ts';
import { createSubscriberStore } from '../src/subscribers/store.ts';
import { createBounceWorker } from './bounce.worker.ts';
import { createDeliverWorker } from './deliver.worker.ts';
import { createSendWorker } from './send.worker.ts';

/** Running workers: `close` lets messages in flight finish, hands unfinished batches back, and disconnects. */
export interface RunningWorkers {
  /** Where the mail goes (the relay, or the built-in sink's folder). */
  target: string;
  close(): Promise<void>;
}

/**
 * The workers' composition root: starts the send (fan-out), deliver and bounce workers of this process,
 * sharing one Redis connection for data, one SMTP pool and, without SMTP_URL, one built-in sink.
 */
export async function startWorkers(config: Config, log: (msg: string) => void): Promise<RunningWorkers> {
  const redis = createRedis(config.REDIS_URL);
  const sends = createSendStore({ redis, prefix: config.REDIS_PREFIX });
  const audience = createSubscriberStore({ redis, prefix: config.REDIS_PREFIX });
  const queues = createQueues(config);
  const mailer = await createMailer(config, log);
  let stopping = false;
  const policy = createBouncePolicy({ redis, config, store: audience, sends: bounceSendControl(sends), log });
  const send = createSendWorker({ sends, audience, queues, config, log });
  const deliver = createDeliverWorker({
    sends,
    audience,
    mailer,
    bounces: policy,
    config,
    log,
    stopping: () => stopping,
  });
  const bounce = createBounceWorker({ policy, bounces: policy.bounces, store: audience, config, log });
  return {
    target: mailer.target,
    async close() {
      stopping = true;
      await Promise.all([send.close(), deliver.close(), bounce.close()]);
      await mailer.close();
      await queues.close();
      await redis.quit();
    },
  };
}

/** Runs the workers until SIGTERM or SIGINT, then shuts down gracefully. */
export async function runWorkers(config: Config, log: (msg: string) => void): Promise<void> {
  const workers = await startWorkers(config, log);
  log(`worker ${process.pid} ready: sending to ${workers.target}`);
  await new Promise<void>((resolve) => {
    const stop = (signal: string) => {
      log(`worker ${process.pid}: ${signal}, finishing messages in flight`);
      workers.close().then(resolve, (err: Error) => {
        log(`worker ${process.pid}: shutdown error: ${err.message}`);
        resolve();
      });
    };
    process.once('SIGTERM', () => stop('SIGTERM'));
    process.once('SIGINT', () => stop('SIGINT'));
  });
  log(`worker ${process.pid} stopped`);
}

const logLine = (msg: string) => console.error(`${new Date().toISOString()} ${msg}`);

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await runWorkers(loadConfig(), logLine);
}
