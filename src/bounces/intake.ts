import type { Redis } from 'ioredis';
import type { Config } from '../config.ts';
import type { SubscriberStore } from '../subscribers/subscriber-store.ts';
import { createBounceQueue } from './bounce-queue.ts';
import type { BounceStore } from './bounce-store.ts';
import { type RunningReceiver, startBounceReceiver } from './sources/inbound-smtp.ts';
import { createReceiverQuota } from './sources/receiver-quota.ts';

/**
 * The composition root of the inbound side of `gazette server`: the bounce receiver on
 * BOUNCE_SMTP_PORT (or `port`), writing to the `bounce` queue. `close` stops both.
 */
export async function startBounceIntake(
  deps: {
    config: Config;
    redis: Redis;
    store: SubscriberStore;
    bounces: BounceStore;
    log: (msg: string) => void;
  },
  port: number = deps.config.BOUNCE_SMTP_PORT,
  host?: string,
): Promise<RunningReceiver> {
  const { config } = deps;
  const queue = createBounceQueue(config);
  const { bounces } = deps;
  const quota = createReceiverQuota({ redis: deps.redis, prefix: config.REDIS_PREFIX, config });
  try {
    const receiver = await startBounceReceiver(
      { config, bounces, queue, quota, store: deps.store, log: deps.log },
      { port, ...(host ? { host } : {}) },
    );
    return {
      ...receiver,
      async close() {
        await receiver.close();
        await queue.close();
      },
    };
  } catch (err) {
    await queue.close();
    throw err;
  }
}
