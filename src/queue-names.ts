import type { Queue, Worker } from 'bullmq';
import type { Config } from './config.ts';
import {
  type AnyRedis,
  clusterNodes,
  connectRedis,
  isCluster,
  type RedisTarget,
  sentinelOptions,
} from './redis.ts';

/**
 * Every BullMQ queue of Gazette, by name; BullMQ keeps each one's keys under `<REDIS_PREFIX>:<queue>:…`
 * (on a Redis Cluster `<REDIS_PREFIX>:{<queue>}:<queue>:…`: one hash tag per queue, as BullMQ asks;
 * the bounce records themselves are under `<REDIS_PREFIX>:bounces:`, with an s).
 */
export const QUEUE = { send: 'send', deliver: 'deliver', bounce: 'bounce', confirm: 'confirm' } as const;
/** A queue's name. */
export type QueueName = keyof typeof QUEUE;

/** Job names, one per kind of job. */
export const JOB = { fanout: 'fanout', deliver: 'deliver', bounce: 'bounce' } as const;

/**
 * The BullMQ prefix of `queue`: REDIS_PREFIX on one Redis; on a cluster `<prefix>:{<queue>}`, so that
 * every key of the queue (which BullMQ's scripts use together) is in one hash slot, and each queue
 * in a slot of its own.
 */
export function queuePrefix(prefix: string, queue: QueueName, cluster: boolean): string {
  return cluster ? `${prefix}:{${queue}}` : prefix;
}

/**
 * Where a queue or worker of `queue` connects. On one Redis: a URL, or the sentinels' primary (BullMQ
 * opens and closes its own connections). On a cluster BullMQ needs a client: a cluster connection of its own, opened at first
 * use; closeQueue closes it with the queue or worker.
 */
export function queueConnection(config: RedisTarget & Pick<Config, 'REDIS_PREFIX'>, queue: QueueName) {
  const cluster = clusterNodes(config.REDIS_CLUSTER_NODES).length > 0;
  const prefix = queuePrefix(config.REDIS_PREFIX, queue, cluster);
  if (!cluster) return { connection: sentinelOptions(config) ?? { url: config.REDIS_URL }, prefix };
  return { connection: connectRedis(config, { blocking: true, lazyConnect: true }), prefix };
}

/** Closes a queue or worker and, on a cluster, the connection queueConnection opened for it. */
export async function closeQueue(q: Pick<Queue | Worker, 'close' | 'opts'>): Promise<void> {
  await q.close();
  const connection = q.opts.connection as AnyRedis | { url: string };
  if ('isCluster' in connection && isCluster(connection) && connection.status !== 'end') {
    await connection.quit().catch(() => connection.disconnect());
  }
}
