/** Consecutive refusals of us by the relay, in one worker, after which a send pauses itself. */
export const RELAY_REFUSALS_TO_PAUSE = 5;

/**
 * Counts, per send, the relay's refusals of us (bad credentials, our IP blocked) in a row in this
 * worker: a relay that refuses every message should pause the send after a few, not fail every
 * reader. Any accepted message starts the count again. Kept in memory: costs nothing per message.
 */
export function createRelayRefusals(limit = RELAY_REFUSALS_TO_PAUSE) {
  const streak = new Map<string, number>();
  return {
    /** Notes an accepted message. */
    accepted(sendId: string): void {
      if (streak.has(sendId)) streak.delete(sendId);
    },
    /** Notes a refusal; true when the send should pause now (the count then starts again, for after a resume). */
    refused(sendId: string): boolean {
      const n = (streak.get(sendId) ?? 0) + 1;
      if (n < limit) streak.set(sendId, n);
      else streak.delete(sendId);
      return n >= limit;
    },
  };
}
