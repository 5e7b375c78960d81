import type { ConnectionOptions } from 'bullmq';
import type { Config } from './config.ts';
import { type RedisTarget, sentinelOptions } from './redis.ts';

/**
 * Every BullMQ queue of Gazette, by name; BullMQ keeps each one's keys under `<REDIS_PREFIX>:<queue>:…`
 * (the bounce records themselves are under `<REDIS_PREFIX>:bounces:`, with an s).
 */
export const QUEUE = { send: 'send', deliver: 'deliver', bounce: 'bounce', confirm: 'confirm' } as const;
/** A queue's name. */
export type QueueName = keyof typeof QUEUE;

/** Job names, one per kind of job. */
export const JOB = { fanout: 'fanout', deliver: 'deliver', bounce: 'bounce' } as const;

/**
 * Where every queue and worker connects, and the key prefix: REDIS_URL (BullMQ opens its own
 * connections), or the sentinels' primary.
 */
export function queueConnection(config: RedisTarget & Pick<Config, 'REDIS_PREFIX'>) {
  const connection: ConnectionOptions = sentinelOptions(config) ?? { url: config.REDIS_URL };
  return { connection, prefix: config.REDIS_PREFIX };
}
