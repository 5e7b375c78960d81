import { fileURLToPath } from 'node:url';
import { Piscina } from 'piscina';

/** How many threads a pool keeps and may have, how long an idle one lives, and its heap. */
export interface ThreadPoolOptions {
  minThreads: number;
  maxThreads: number;
  idleTimeout?: number;
  maxHeapMb?: number;
}

/**
 * A pool of worker threads (Piscina) running one module, named by its `.ts` URL beside the caller:
 * from the sources the thread loads it through tsx; compiled, it loads the `.js` beside it in dist/.
 * Heavy work on foreign input (classifying mail, compiling drafts) runs here, off the event loop.
 */
export function startThreadPool(module: URL, opts: ThreadPoolOptions): Piscina {
  const fromSources = import.meta.url.endsWith('.ts');
  const file = fromSources ? module : new URL(module.href.replace(/\.ts$/, '.js'));
  return new Piscina({
    filename: fileURLToPath(file),
    minThreads: opts.minThreads,
    maxThreads: opts.maxThreads,
    ...(opts.idleTimeout ? { idleTimeout: opts.idleTimeout } : {}),
    ...(opts.maxHeapMb ? { resourceLimits: { maxOldGenerationSizeMb: opts.maxHeapMb } } : {}),
    execArgv: fromSources ? ['--import', 'tsx'] : [],
  });
}
