import type { Config } from '../config.ts';
import { closeQueue } from '../queue-names.ts';
import type { AnyRedis } from '../redis.ts';
import type { SubscriberStore } from '../subscribers/subscriber-store.ts';
import { startBounceClassifier } from './bounce-classifier.ts';
import { createBounceQueue } from './bounce-queue.ts';
import type { BounceStore } from './bounce-store.ts';
import { type RunningReceiver, startBounceReceiver } from './sources/inbound-smtp.ts';
import { createReceiverQuota } from './sources/receiver-quota.ts';

/**
 * The composition root of the inbound side of `gazette server`: the bounce receiver on
 * BOUNCE_SMTP_PORT (or `port`), classifying in a thread of its own and writing to the `bounce`
 * queue. `close` stops all three.
 */
export async function startBounceIntake(
  deps: {
    config: Config;
    redis: AnyRedis;
    subscribers: SubscriberStore;
    bounces: BounceStore;
    log: (msg: string) => void;
  },
  port: number = deps.config.BOUNCE_SMTP_PORT,
  host?: string,
): Promise<RunningReceiver> {
  const { config } = deps;
  const classifier = await startBounceClassifier();
  const queue = createBounceQueue(config);
  const { bounces } = deps;
  const quota = createReceiverQuota({ redis: deps.redis, prefix: config.REDIS_PREFIX, config });
  try {
    const receiver = await startBounceReceiver(
      { config, bounces, queue, quota, classifier, subscribers: deps.subscribers, log: deps.log },
      { port, ...(host ? { host } : {}) },
    );
    return {
      ...receiver,
      async close() {
        await receiver.close();
        await Promise.all([closeQueue(queue), classifier.close()]);
      },
    };
  } catch (err) {
    await Promise.all([closeQueue(queue), classifier.close()]);
    throw err;
  }
}
