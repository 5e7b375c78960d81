import { type Check, imagesOf, isLocalSrc, linksOf } from './check.ts';
import type { Issue } from './schema.ts';

/** How remote links are fetched: injectable so tests and the desk choose their own fetch and limits. */
export interface RemoteCheckOptions {
  fetch?: typeof fetch;
  /** Per request; a link that takes longer counts as unreachable. */
  timeoutMs?: number;
  /** Requests in flight at once, so an issue of 40 links does not hammer one site. */
  concurrency?: number;
}

type Outcome = { status: number } | { error: string };

async function request(
  url: string,
  method: 'HEAD' | 'GET',
  opts: Required<RemoteCheckOptions>,
): Promise<Outcome> {
  try {
    const res = await opts.fetch(url, {
      method,
      redirect: 'follow',
      signal: AbortSignal.timeout(opts.timeoutMs),
      headers: { 'user-agent': 'gazette-check/1 (newsletter link check)' },
    });
    await res.body?.cancel();
    return { status: res.status };
  } catch (err) {
    const e = err as Error & { cause?: { code?: string } };
    if (e.name === 'TimeoutError') return { error: `no answer within ${opts.timeoutMs / 1000} s` };
    return { error: e.cause?.code ?? e.message };
  }
}

/** HEAD first; many servers refuse or mishandle HEAD (405, 403, 501), so anything but 2xx-3xx is tried with GET. */
async function probe(url: string, opts: Required<RemoteCheckOptions>): Promise<Outcome> {
  const head = await request(url, 'HEAD', opts);
  if ('status' in head && head.status < 400) return head;
  return request(url, 'GET', opts);
}

/** Runs `work` over `items` with at most `limit` at a time, keeping the order of the results. */
async function mapLimited<T, R>(items: T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const lane = async () => {
    for (let i = next++; i < items.length; i = next++) results[i] = await work(items[i] as T);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  return results;
}

/**
 * Fetches every remote image and link of the issue (each URL once): 404 or 410 is an error, another
 * 4xx/5xx or no answer a warning. Returns one Check per finding; an issue with none returns [].
 */
export async function checkRemote(issue: Issue, options: RemoteCheckOptions = {}): Promise<Check[]> {
  const opts: Required<RemoteCheckOptions> = {
    fetch: options.fetch ?? fetch,
    timeoutMs: options.timeoutMs ?? 10_000,
    concurrency: options.concurrency ?? 4,
  };
  const targets = [
    ...imagesOf(issue)
      .filter(({ image }) => !isLocalSrc(image.src))
      .map(({ path, image }) => ({ path, url: image.src, what: 'image' })),
    ...linksOf(issue).map(({ path, url }) => ({ path, url, what: 'link' })),
  ];
  const urls = [...new Set(targets.map((t) => t.url))];
  const outcomes = new Map(
    (await mapLimited(urls, opts.concurrency, (url) => probe(url, opts))).map((o, i) => [urls[i], o]),
  );
  const checks: Check[] = [];
  for (const { path, url, what } of targets) {
    const outcome = outcomes.get(url) as Outcome;
    if ('error' in outcome) {
      checks.push({
        id: `unreachable:${path}`,
        level: 'warning',
        path,
        message: `${what} ${url} did not answer (${outcome.error})`,
      });
    } else if (outcome.status === 404 || outcome.status === 410) {
      checks.push({
        id: `broken:${path}`,
        level: 'error',
        path,
        message: `${what} ${url} is gone (HTTP ${outcome.status})`,
      });
    } else if (outcome.status >= 400) {
      checks.push({
        id: `http-error:${path}`,
        level: 'warning',
        path,
        message: `${what} ${url} answered HTTP ${outcome.status}`,
      });
    }
  }
  return checks;
}
