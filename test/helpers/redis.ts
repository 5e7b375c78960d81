import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { createRedis, deleteKeys } from '../../src/redis.ts';

export const TEST_REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** A Redis connection with a key prefix of its own; `cleanup` deletes every key under it and disconnects. */
export interface TestRedis {
  redis: Redis;
  prefix: string;
  cleanup(): Promise<void>;
}

/** Opens a connection for one test file. Never FLUSHDB: other work shares this Redis. */
export async function testRedis(label = 'test'): Promise<TestRedis> {
  const prefix = `gztest-${label}-${randomBytes(4).toString('hex')}`;
  const redis = createRedis(TEST_REDIS_URL);
  return {
    redis,
    prefix,
    async cleanup() {
      await deleteKeys(redis, `${prefix}:*`);
      // BullMQ queues created with this prefix keep their keys under `prefix:queue:…` too.
      await redis.quit();
    },
  };
}
