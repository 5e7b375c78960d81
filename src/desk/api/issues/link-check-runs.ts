import type { Check } from '../../../issue/check.ts';
import { fetchPolicy } from '../../../issue/link-checks/guarded-request.ts';
import { checkRemote, type RemoteCheckOptions } from '../../../issue/link-checks/remote-checks.ts';
import type { Issue } from '../../../issue/schema.ts';
import { createRateLimit } from '../../../rate-limits.ts';
import type { AnyRedis } from '../../../redis.ts';
import type { DeskDeps } from '../desk-deps.ts';

/** Link-check runs one caller may start per window; an answer reused from the cache costs nothing. */
export const LINK_CHECK_RUNS = { points: 20, seconds: 10 * 60 };
/** How long the findings of a run are reused for the same revision of an issue. */
export const LINK_CHECK_CACHE_MS = 60_000;

/** The findings of a run, or a refusal with the seconds until the caller may start another. */
export type LinkCheckAnswer = { ok: true; checks: Check[] } | { ok: false; retryAfter: number };

interface Run {
  revision: number;
  done: boolean;
  /** When the run ended (or, while it runs, began). */
  at: number;
  answer: Promise<LinkCheckAnswer>;
}

/**
 * The desk's link checks of stored issues (issue 17: each call fetched every link, with nothing to
 * stop a caller repeating it): at most one run per issue at a time, a caller asking while it runs
 * joins it, its findings are reused for LINK_CHECK_CACHE_MS while the revision is the same, and each
 * caller may start LINK_CHECK_RUNS runs per window (counted in Redis, so across servers). The cache
 * is this process's own.
 */
export function createLinkCheckRuns(
  deps: Pick<DeskDeps, 'config' | 'remote' | 'clock'> & { redis: AnyRedis },
): (key: { issue: string; revision: number; caller: string }, issue: Issue) => Promise<LinkCheckAnswer> {
  const clock = deps.clock ?? Date.now;
  const limit = createRateLimit({
    redis: deps.redis,
    prefix: deps.config.REDIS_PREFIX,
    rule: { name: 'link-checks', ...LINK_CHECK_RUNS },
  });
  const options: RemoteCheckOptions = {
    ...deps.remote,
    policy: deps.remote?.policy ?? fetchPolicy(deps.config),
  };
  const runs = new Map<string, Run>();

  return (key, issue) => {
    const last = runs.get(key.issue);
    if (last && last.revision === key.revision && (!last.done || clock() - last.at < LINK_CHECK_CACHE_MS)) {
      return last.answer;
    }
    // A run of an earlier revision may still be going: this one waits for it, so one issue never has two.
    const before = last && !last.done ? last.answer : undefined;
    const run: Run = {
      revision: key.revision,
      done: false,
      at: clock(),
      answer: Promise.resolve({ ok: true, checks: [] }),
    };
    // A refused or failed run is not kept: the next call may start one.
    const forget = () => {
      if (runs.get(key.issue) === run) runs.delete(key.issue);
    };
    run.answer = (async (): Promise<LinkCheckAnswer> => {
      try {
        const taken = await limit.take(key.caller);
        if (!taken.ok) {
          forget();
          return taken;
        }
        await before?.catch(() => undefined);
        return { ok: true, checks: await checkRemote(issue, options) };
      } catch (err) {
        forget();
        throw err;
      } finally {
        run.done = true;
        run.at = clock();
      }
    })();
    runs.set(key.issue, run);
    return run.answer;
  };
}
