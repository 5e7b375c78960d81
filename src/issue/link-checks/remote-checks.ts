import pLimit from 'p-limit';
import { type Check, imagesOf, isLocalSrc, linksOf } from '../check.ts';
import type { Issue } from '../schema.ts';
import {
  type FetchPolicy,
  type GuardedAnswer,
  guardedRequest,
  MAX_REDIRECTS,
  type Refusal,
} from './guarded-request.ts';

/** How remote links are fetched: tests and the desk choose their own policy and limits. */
export interface RemoteCheckOptions {
  /** What may be reached (see fetchPolicy); default: public addresses on ports 80 and 443 only. */
  policy?: FetchPolicy;
  /** Per link, redirects included; a link that takes longer counts as unreachable. */
  timeoutMs?: number;
  /** Requests in flight at once, so an issue of 40 links does not hammer one site. */
  concurrency?: number;
}

const STRICT: FetchPolicy = { allowPrivate: false, ports: [80, 443] };

/** HEAD first; many servers refuse or mishandle HEAD (405, 403, 501), so anything but 2xx-3xx is tried with GET. */
async function probe(url: string, opts: Required<RemoteCheckOptions>): Promise<GuardedAnswer> {
  const head = await guardedRequest(url, { method: 'HEAD', policy: opts.policy, timeoutMs: opts.timeoutMs });
  if (!('status' in head) || head.status < 400) return head;
  return guardedRequest(url, { method: 'GET', policy: opts.policy, timeoutMs: opts.timeoutMs });
}

/** Why a URL was not fetched, in words that name nothing of this server's network. */
const NOT_CHECKED: Record<Refusal, string> = {
  private: 'private address',
  port: 'port not allowed',
  scheme: 'only http and https are checked',
  redirects: `more than ${MAX_REDIRECTS} redirects`,
};

/** Why a fetch failed, without the socket's error code (which tells an open port from a closed one). */
function failedWhy(failed: 'timeout' | 'dns' | 'tls' | 'network', timeoutMs: number): string {
  if (failed === 'timeout') return `no answer within ${timeoutMs / 1000} s`;
  if (failed === 'dns') return 'host name not found';
  if (failed === 'tls') return 'its certificate was refused';
  return 'no connection';
}

/**
 * Fetches every remote image and link of the issue (each URL once) through guardedRequest: 404 or 410
 * is an error; another 4xx/5xx, no answer, or a URL the policy refuses ("not checked") a warning. Returns one Check per finding; an issue with none returns [].
 */
export async function checkRemote(issue: Issue, options: RemoteCheckOptions = {}): Promise<Check[]> {
  const opts: Required<RemoteCheckOptions> = {
    policy: options.policy ?? STRICT,
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
  const answers = new Map(
    (await pLimit(opts.concurrency).map(urls, (url) => probe(url, opts))).map((o, i) => [urls[i], o]),
  );
  const checks: Check[] = [];
  for (const { path, url, what } of targets) {
    const outcome = answers.get(url) as GuardedAnswer;
    if ('refused' in outcome) {
      checks.push({
        id: `not-checked:${path}`,
        level: 'warning',
        code: 'link-not-checked',
        params: { kind: what, url, reason: outcome.refused },
        path,
        message: `${what} ${url} not checked: ${NOT_CHECKED[outcome.refused]}`,
      });
    } else if ('failed' in outcome) {
      checks.push({
        id: `unreachable:${path}`,
        level: 'warning',
        code: 'link-unanswered',
        params: { kind: what, url, reason: outcome.failed, seconds: opts.timeoutMs / 1000 },
        path,
        message: `${what} ${url} did not answer (${failedWhy(outcome.failed, opts.timeoutMs)})`,
      });
    } else if (outcome.status === 404 || outcome.status === 410) {
      checks.push({
        id: `broken:${path}`,
        level: 'error',
        code: 'link-gone',
        params: { kind: what, url, status: outcome.status },
        path,
        message: `${what} ${url} is gone (HTTP ${outcome.status})`,
      });
    } else if (outcome.status >= 400) {
      checks.push({
        id: `http-error:${path}`,
        level: 'warning',
        code: 'link-status',
        params: { kind: what, url, status: outcome.status },
        path,
        message: `${what} ${url} answered HTTP ${outcome.status}`,
      });
    }
  }
  return checks;
}
