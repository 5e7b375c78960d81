import type { Config } from './config.ts';

/**
 * Every BullMQ queue of Gazette, by name; BullMQ keeps each one's keys under `<REDIS_PREFIX>:<queue>:…`
 * (the bounce records themselves are under `<REDIS_PREFIX>:bounces:`, with an s).
 */
export const QUEUE = { send: 'send', deliver: 'deliver', bounce: 'bounce', confirm: 'confirm' } as const;
/** A queue's name. */
export type QueueName = keyof typeof QUEUE;

/** Job names, one per kind of job. */
export const JOB = { fanout: 'fanout', deliver: 'deliver', bounce: 'bounce' } as const;

/** Where every queue and worker connects: a URL (BullMQ opens its own connections) and the key prefix. */
export function queueConnection(config: Pick<Config, 'REDIS_URL' | 'REDIS_PREFIX'>) {
  return { connection: { url: config.REDIS_URL }, prefix: config.REDIS_PREFIX };
}
