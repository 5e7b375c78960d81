import type { Piscina } from 'piscina';
import { boundedQueue } from '../../../bounded-queue.ts';
import { startThreadPool } from '../../../thread-pool.ts';
import type { DraftJob, DraftOutcome } from './draft-compile.worker.ts';

/**
 * Why a draft was not compiled: a newer draft of its author came in before its turn (that one is
 * compiled instead), its author's line stayed full, the pool is full, or it took too long.
 */
export type DraftRefusal = 'superseded' | 'yours-running' | 'all-busy' | 'too-slow';

/** Compiles drafts off the request thread; `compile` answers a refusal instead of queueing without end. */
export interface DraftCompiler {
  compile(author: string, job: DraftJob): Promise<DraftOutcome | DraftRefusal>;
  close(): Promise<void>;
}

/** How many compile at once, how many wait, how many of those one author may have, and the longest one may run (issue 17). */
export interface DraftCompilerLimits {
  running: number;
  waiting: number;
  perAuthor: number;
  budgetMs: number;
}

// One thread on a two-core server leaves the other to answer requests; three drafts may wait their
// turn. An author's newest draft waits behind the one being compiled (typing outruns a big issue's
// compile, and the first compile loads MJML for seconds) and replaces any older one still waiting:
// only the newest is worth compiling. A real issue compiles in under 100 ms; a 680 KB one took 5 s.
/** How often a draft waiting for its author's line looks again. */
const WAIT_STEP_MS = 50;
const LIMITS: DraftCompilerLimits = { running: 1, waiting: 3, perAuthor: 2, budgetMs: 10_000 };

/**
 * A pool of worker threads that validate and compile drafts (draft-compile.worker.ts), started on the
 * first draft and left idle (not holding the process) after. `perAuthor` drafts per author in line,
 * `running` at once in all and `waiting` more; a draft still compiling after `budgetMs` has its
 * thread ended.
 */
export function createDraftCompiler(limits: DraftCompilerLimits = LIMITS): DraftCompiler {
  let pool: Piscina | null = null;
  let ready: Promise<unknown> = Promise.resolve();
  const queue = boundedQueue(limits);
  const inLine = new Map<string, number>();
  /** Each author's newest draft (a ticket number): an older one gives way when its turn comes. */
  const newest = new Map<string, number>();
  let tickets = 0;
  const start = (): Piscina => {
    const made = startThreadPool(new URL('./draft-compile.worker.ts', import.meta.url), {
      minThreads: 0,
      maxThreads: limits.running,
      idleTimeout: 10 * 60_000,
    });
    // The budget is for compiling, not for starting the thread and loading MJML (seconds on a busy
    // machine): a draft's clock starts once the warm-up has answered.
    ready = made.run(null);
    return made;
  };
  const run = async (job: DraftJob): Promise<DraftOutcome | DraftRefusal> => {
    pool ??= start();
    await ready;
    try {
      return (await pool.run(job, { signal: AbortSignal.timeout(limits.budgetMs) })) as DraftOutcome;
    } catch (err) {
      if ((err as Error).name === 'AbortError') return 'too-slow';
      throw err;
    }
  };
  return {
    async compile(author, job) {
      const ticket = ++tickets;
      newest.set(author, ticket);
      const stale = () => newest.get(author) !== ticket;
      // The author's line is full: wait for a place, unless a newer draft of theirs comes meanwhile.
      for (let waited = 0; (inLine.get(author) ?? 0) >= limits.perAuthor; waited += WAIT_STEP_MS) {
        if (waited >= limits.budgetMs) return 'yours-running';
        await new Promise((r) => setTimeout(r, WAIT_STEP_MS));
        if (stale()) return 'superseded';
      }
      const queued = queue(async () => (stale() ? 'superseded' : run(job)));
      if (!queued) return 'all-busy';
      inLine.set(author, (inLine.get(author) ?? 0) + 1);
      try {
        return await queued;
      } finally {
        const left = (inLine.get(author) ?? 1) - 1;
        if (left > 0) inLine.set(author, left);
        else inLine.delete(author);
        if (!stale()) newest.delete(author);
      }
    },
    async close() {
      await pool?.close();
    },
  };
}
