import { type JobsOptions, Queue, UnrecoverableError } from 'bullmq';
import { z } from 'zod';
import type { Config } from '../../config.ts';
import { closeQueue, QUEUE, queueConnection } from '../../queue-names.ts';
import { dedupedLog } from '../../redis-wait.ts';

const SendId = z.string().regex(/^[a-z0-9-]+$/);

/** Data of a fan-out job (queue `send`); `pass` 1 is the send itself, 2 and on its retries. */
export const FanoutJobData = z.object({ sendId: SendId, pass: z.number().int().min(1).optional() });
export type FanoutJobData = z.infer<typeof FanoutJobData>;

/** Data of a delivery job (queue `deliver`): subscriber ids only, never addresses. */
export const DeliverJobData = z.object({ sendId: SendId, ids: z.array(z.number().int().positive()) });
export type DeliverJobData = z.infer<typeof DeliverJobData>;

/** Parses a job's data when the job is taken; bad data fails it for good (trying again cannot help). */
export function parseJobData<T>(schema: z.ZodType<T>, data: unknown): T {
  const parsed = schema.safeParse(data);
  if (!parsed.success) throw new UnrecoverableError(`bad job data: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

/** Subscriber ids per delivery job. */
export function batchSize(config: Config): number {
  // With a rate limit a batch is about one second of sending, so the limiter stays smooth.
  return config.SEND_RATE > 0
    ? Math.max(10, Math.min(config.SEND_BATCH_SIZE, Math.ceil(config.SEND_RATE)))
    : config.SEND_BATCH_SIZE;
}

/**
 * A delivery job's id: derived from its content, so a fan-out that runs again adds nothing twice
 * (BullMQ ids must not contain ':' and must not be all digits; a send id starts with a letter).
 */
export function deliverJobId(sendId: string, ids: readonly number[], pass = 1): string {
  // A retry pass has ids of its own: a batch failed in pass 1 keeps its id among the failed jobs.
  const base = pass > 1 ? `${sendId}-p${pass}` : sendId;
  return `${base}-${ids[0]}-${ids.at(-1)}-${ids.length}`;
}

/** The fan-out job's id of a send's pass (1: the send itself, 2 and on: `gazette retry`). */
export function fanoutJobId(sendId: string, pass = 1): string {
  return pass > 1 ? `${sendId}-p${pass}` : sendId;
}

/** Options of the fan-out job of a send due after `delay` ms. */
export function fanoutJobOptions(sendId: string, delay: number, pass = 1): JobsOptions {
  return {
    jobId: fanoutJobId(sendId, pass),
    delay: Math.max(0, delay),
    attempts: 10,
    backoff: { type: 'exponential', delay: 1000 },
    removeOnComplete: { age: 7 * 24 * 3600 },
    removeOnFail: { age: 30 * 24 * 3600 },
  };
}

/** Options of every delivery job: 4xx answers are retried with exponential backoff, then counted failed. */
export function deliverJobOptions(config: Config): JobsOptions {
  return {
    attempts: config.SEND_RETRIES + 1,
    backoff: { type: 'exponential', delay: config.SEND_BACKOFF_MS },
    // The settled bitmap, not the job, is the record of delivery: completed jobs can go at once.
    removeOnComplete: true,
    removeOnFail: { age: 7 * 24 * 3600 },
  };
}

/**
 * The two queues, for adding jobs (commands and the fan-out). Their connection errors go to `log`
 * (an EventEmitter without an `error` listener would throw them and end the process).
 */
export function createQueues(config: Config, log: (msg: string) => void = () => {}) {
  // BullMQ's event stream is only for watching queues live; a thousand events is plenty.
  const events = { streams: { events: { maxLen: 1000 } } };
  const send = new Queue<FanoutJobData>(QUEUE.send, { ...queueConnection(config, 'send'), ...events });
  const deliver = new Queue<DeliverJobData>(QUEUE.deliver, {
    ...queueConnection(config, 'deliver'),
    ...events,
  });
  // A Redis that is down makes each connection repeat its error at every reconnect: once is enough.
  const once = dedupedLog(log);
  send.on('error', (err) => once(`send queue: ${err.message}`));
  deliver.on('error', (err) => once(`deliver queue: ${err.message}`));
  return {
    send,
    deliver,
    async close(): Promise<void> {
      await Promise.all([closeQueue(send), closeQueue(deliver)]);
    },
  };
}

/** The queues' interface (see createQueues). */
export type Queues = ReturnType<typeof createQueues>;
