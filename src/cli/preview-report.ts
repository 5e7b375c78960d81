import type { Redis } from 'ioredis';
import { createClickStore } from '../clicks/click-store.ts';
import type { Config } from '../config.ts';
import { createRedis } from '../redis.ts';
import { type SendReport, sendReport } from '../report/send-report.ts';
import { createSendStore } from '../send/send-store.ts';
import { createSubscriberStore } from '../subscribers/store.ts';

/**
 * The preview's report reader: connects to Redis on the first report asked for, so that editors
 * previewing issues need no Redis at all.
 */
export function previewReport(config: Config): (sendId: string) => Promise<SendReport | null> {
  let redis: Redis | undefined;
  return (sendId) => {
    redis ??= createRedis(config.REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 });
    const prefix = config.REDIS_PREFIX;
    return sendReport(
      {
        redis,
        prefix,
        audience: createSubscriberStore({ redis, prefix }),
        sends: createSendStore({ redis, prefix }),
        clicks: createClickStore({ redis, prefix }),
      },
      sendId,
    );
  };
}
