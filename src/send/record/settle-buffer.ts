import type { SendStore, Settlement } from './send-store.ts';

/** Outcomes are written once this many wait, or after MAX_WAIT_MS, whichever comes first. */
export const SETTLE_MAX_PENDING = 16;
const MAX_WAIT_MS = 25;

/**
 * Records a batch's outcomes a few at a time, one command each time, instead of one command per
 * message (which cost the worker about a tenth of its CPU, mostly in the client and the socket
 * write). An outcome waits at most MAX_WAIT_MS, so a crash can repeat only those few messages
 * (at most twice SETTLE_MAX_PENDING: waiting and being written) besides the ones in flight.
 * `flush` must be awaited before the job ends.
 */
export function createSettleBuffer(sends: SendStore, sendId: string) {
  let pending: Settlement[] = [];
  let timer: NodeJS.Timeout | null = null;
  let writing: Promise<void> = Promise.resolve();
  let failure: unknown = null;

  function write(): void {
    if (timer) clearTimeout(timer);
    timer = null;
    if (pending.length === 0) return;
    const items = pending;
    pending = [];
    writing = writing.then(async () => {
      try {
        await sends.settleMany(sendId, items);
      } catch (err) {
        failure ??= err;
      }
    });
  }

  return {
    /** Queues one outcome; it is written within MAX_WAIT_MS. */
    add(item: Settlement): void {
      pending.push(item);
      if (pending.length >= SETTLE_MAX_PENDING) write();
      else timer ??= setTimeout(write, MAX_WAIT_MS);
    },
    /** Writes everything queued; rejects if any write failed (the job is then retried, nothing is lost). */
    async flush(): Promise<void> {
      write();
      await writing;
      if (failure) throw failure;
    },
  };
}
