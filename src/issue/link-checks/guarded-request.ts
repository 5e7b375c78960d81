import { type LookupAddress, lookup } from 'node:dns';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import type { Config } from '../../config.ts';
import { isPrivateAddress } from '../../http/private-address.ts';

/** What a link check may reach (issue 17: the checks were a way into the server's own network). */
export interface FetchPolicy {
  /** CHECK_ALLOW_PRIVATE: loopback and private addresses too, on any port (development and tests only). */
  allowPrivate: boolean;
  /** CHECK_ALLOWED_PORTS: the ports a public address is reached on. */
  ports: readonly number[];
  /** Addresses taken for public ones: lets a test stand a loopback server in for a public site. */
  treatAsPublic?: readonly string[];
}

/** The policy the settings ask for: private addresses refused unless CHECK_ALLOW_PRIVATE, ports 80 and 443 unless CHECK_ALLOWED_PORTS. */
export function fetchPolicy(
  config: Pick<Config, 'CHECK_ALLOW_PRIVATE' | 'CHECK_ALLOWED_PORTS'>,
): FetchPolicy {
  return { allowPrivate: config.CHECK_ALLOW_PRIVATE, ports: config.CHECK_ALLOWED_PORTS };
}

/** Why a URL was not fetched: its scheme, its port, its address, or a fourth redirect. */
export type Refusal = 'scheme' | 'port' | 'private' | 'redirects';

/** How a guarded request ended: the final status, a refusal, or a failure told without socket detail. */
export type GuardedAnswer =
  | { status: number }
  | { refused: Refusal }
  | { failed: 'timeout' | 'dns' | 'tls' | 'network' };

/** Redirects followed at most; each hop is checked like the first URL. */
export const MAX_REDIRECTS = 3;

class Refused extends Error {
  constructor(readonly reason: Refusal) {
    super(`refused: ${reason}`);
  }
}

/** Whether `address` may be reached on `port` under `policy`; the reason if not. */
function verdict(address: string, port: number, policy: FetchPolicy): Refusal | undefined {
  const isPrivate = isPrivateAddress(address) && !policy.treatAsPublic?.includes(address);
  if (isPrivate) return policy.allowPrivate ? undefined : 'private';
  return policy.ports.includes(port) ? undefined : 'port';
}

/**
 * A DNS lookup that resolves once, refuses the connection when any address the name resolves to is
 * not allowed, and hands the checked addresses to the socket, so no second lookup can answer otherwise
 * (DNS rebinding).
 */
function guardedLookup(port: number, policy: FetchPolicy): LookupFunction {
  return (hostname, options, callback) => {
    lookup(hostname, { all: true, family: options.family ?? 0, hints: options.hints ?? 0 }, (err, found) => {
      if (err) return callback(err, '', 0);
      const list = found as LookupAddress[];
      const refusals = list.map((a) => verdict(a.address, port, policy));
      const refusal = refusals.includes('private') ? 'private' : refusals.find(Boolean);
      if (refusal || list.length === 0) return callback(new Refused(refusal ?? 'private'), '', 0);
      // Node asks for every address when it tries IPv6 and IPv4 in turn (autoSelectFamily).
      if ((options as { all?: boolean }).all)
        return (callback as (e: null, a: LookupAddress[]) => void)(null, list);
      const first = list[0] as LookupAddress;
      callback(null, first.address, first.family);
    });
  };
}

/** One request to `url` (no redirect followed): its status and Location, once its headers arrive. */
function send(
  url: URL,
  method: 'HEAD' | 'GET',
  policy: FetchPolicy,
  signal: AbortSignal,
): Promise<{ status: number; location?: string }> {
  const port = Number(url.port) || (url.protocol === 'https:' ? 443 : 80);
  const host = url.hostname.replace(/^\[|\]$/g, '');
  // A literal address never reaches the lookup (net connects to it straight away): check it here.
  const literal = isIP(host) ? verdict(host, port, policy) : undefined;
  if (literal) return Promise.reject(new Refused(literal));
  const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = request(
      {
        protocol: url.protocol,
        hostname: host,
        port,
        path: `${url.pathname}${url.search}`,
        method,
        signal,
        // No pooled socket: each request connects through its own checked lookup.
        agent: false,
        lookup: guardedLookup(port, policy),
        headers: { 'user-agent': 'gazette-check/1 (newsletter link check)' },
      },
      (res: IncomingMessage) => {
        res.destroy();
        resolve({
          status: res.statusCode ?? 0,
          ...(res.headers.location ? { location: res.headers.location } : {}),
        });
      },
    );
    req.on('error', reject);
    req.end();
  });
}

/** The failure a person may be told: never a socket's error code, which tells open ports from closed ones. */
function failure(err: unknown, signal: AbortSignal): GuardedAnswer {
  if (err instanceof Refused) return { refused: err.reason };
  if (signal.aborted) return { failed: 'timeout' };
  const code = (err as { code?: string }).code ?? '';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return { failed: 'dns' };
  if (/CERT|TLS|SSL|SELF_SIGNED/.test(code)) return { failed: 'tls' };
  return { failed: 'network' };
}

/**
 * Fetches `url` as the link checks do: `http`/`https` only; every hop's host resolved once and refused
 * when private (unless allowed) or on a port not allowed, before anything is sent; redirects followed by
 * hand, at most MAX_REDIRECTS, each checked again. Never throws.
 */
export async function guardedRequest(
  url: string,
  opts: { method: 'HEAD' | 'GET'; policy: FetchPolicy; timeoutMs: number },
): Promise<GuardedAnswer> {
  const signal = AbortSignal.timeout(opts.timeoutMs);
  let current: URL;
  try {
    current = new URL(url);
  } catch {
    return { refused: 'scheme' };
  }
  for (let hop = 0; ; hop++) {
    if (current.protocol !== 'http:' && current.protocol !== 'https:') return { refused: 'scheme' };
    let answer: { status: number; location?: string };
    try {
      answer = await send(current, opts.method, opts.policy, signal);
    } catch (err) {
      return failure(err, signal);
    }
    if (answer.status < 300 || answer.status > 399 || !answer.location) return { status: answer.status };
    if (hop === MAX_REDIRECTS) return { refused: 'redirects' };
    try {
      current = new URL(answer.location, current);
    } catch {
      return { status: answer.status };
    }
  }
}
