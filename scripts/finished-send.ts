import type { CompiledIssue } from '../src/compose/compiled.ts';
import type { SendRecord, SendStore } from '../src/send/record/send-store.ts';

/**
 * Stores a send of `compiled` to `expected` readers of the list `bench` as finished just now, for the
 * benchmarks that measure what happens after a send (clicks, the desk's status route).
 */
export async function storeFinishedSend(
  sends: Pick<SendStore, 'create'>,
  send: { id: string; issue: number; subject: string; from: string; expected: number },
  compiled: CompiledIssue,
): Promise<void> {
  const now = Date.now();
  const record: SendRecord = {
    ...send,
    list: 'bench',
    state: 'done',
    at: now,
    createdAt: now,
    startedAt: now,
    doneAt: now,
    lastAt: now,
    fanoutDone: true,
    cursor: 0,
    testTo: null,
    reason: null,
  };
  await sends.create(record, compiled);
}
