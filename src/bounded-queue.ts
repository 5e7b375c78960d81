import pLimit from 'p-limit';

/** Work that is run at most `running` at a time; `null` when the queue is full and the work was not taken. */
export type BoundedQueue = <T>(work: () => Promise<T>) => Promise<T> | null;

/**
 * A queue for heavy work from outside (decoding an upload, compiling a draft): at most `running` jobs
 * at once and `waiting` more in line; past that the work is refused at once (the caller answers 503
 * with Retry-After), so a flood costs neither memory nor the time of those already waiting.
 */
export function boundedQueue(opts: { running: number; waiting: number }): BoundedQueue {
  const limit = pLimit(opts.running);
  return (work) =>
    limit.activeCount + limit.pendingCount >= opts.running + opts.waiting ? null : limit(work);
}
