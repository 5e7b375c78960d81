import { startThreadPool } from '../thread-pool.ts';
import { BounceResult } from './classify/result.ts';

/** What classifying one message came to. */
export type Classified =
  | { outcome: 'classified'; results: BounceResult[] }
  /** The parser refused it (e.g. more MIME parts or header bytes than a bounce has). */
  | { outcome: 'unreadable'; reason: string }
  /** It took longer than the budget (the thread that read it was stopped). */
  | { outcome: 'over-budget'; budgetMs: number };

/** A classifier off the event loop; `close` stops its thread. */
export interface BounceClassifier {
  classify(raw: Buffer): Promise<Classified>;
  close(): Promise<void>;
}

/**
 * The time one message may take, waiting for the thread included. A bounce takes milliseconds and
 * the worst message of the hostile-input test well under 100 ms; the budget is the net for what no
 * test foresaw (issue 17), and it bounds how long an SMTP client waits for its reply.
 */
export const CLASSIFY_BUDGET_MS = 5000;

/** Heap a thread may use; a message that needs more ends its thread and reads as unreadable. */
const THREAD_HEAP_MB = 256;

const Results = BounceResult.array();

/**
 * Starts a thread that classifies bounce mail (classifyBounce) for this process, so that no message,
 * however hostile, blocks the event loop (issue 17): the HTTP server, the SMTP receiver and the other
 * workers keep answering. Each message has `budgetMs`; past it the thread is stopped and replaced and
 * the message is `over-budget`. Resolves once the thread has loaded the classifier.
 */
export async function startBounceClassifier(opts: { budgetMs?: number } = {}): Promise<BounceClassifier> {
  const budgetMs = opts.budgetMs ?? CLASSIFY_BUDGET_MS;
  const pool = startThreadPool(new URL('./classify.thread.ts', import.meta.url), {
    minThreads: 1,
    maxThreads: 1,
    maxHeapMb: THREAD_HEAP_MB,
  });
  // The first message's budget must not pay for loading mailparser and the rules.
  await pool.run(new Uint8Array());
  return {
    async classify(raw) {
      const signal = AbortSignal.timeout(budgetMs);
      try {
        const results = await pool.run(new Uint8Array(raw), { signal });
        return { outcome: 'classified', results: Results.parse(results) };
      } catch (err) {
        if (signal.aborted) return { outcome: 'over-budget', budgetMs };
        return { outcome: 'unreadable', reason: (err as Error).message };
      }
    },
    close: () => pool.destroy(),
  };
}
