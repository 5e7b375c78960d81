import type { Gazette } from '../app.ts';
import type { Config } from '../config.ts';
import type { SendReport } from '../report/send-report.ts';

/**
 * The preview's report reader: connects to Redis on the first report asked for, so that editors
 * previewing issues need no Redis at all.
 */
export function previewReport(config: Config): (sendId: string) => Promise<SendReport | null> {
  let g: Gazette | undefined;
  return async (sendId) => {
    const [{ createGazette }, { connectRedis }, { sendReport }] = await Promise.all([
      import('../app.ts'),
      import('../redis.ts'),
      import('../report/send-report.ts'),
    ]);
    g ??= createGazette(config, {
      redis: connectRedis(config, { lazyConnect: true, maxRetriesPerRequest: 1 }),
    });
    const { redis, sends, clicks, bounces, subscribers } = g;
    return sendReport({ redis, prefix: config.REDIS_PREFIX, subscribers, sends, clicks, bounces }, sendId);
  };
}
