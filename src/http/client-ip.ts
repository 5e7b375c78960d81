import { isIP } from 'node:net';
import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context } from 'hono';

/** An address as a string to compare: IPv4-mapped IPv6 (`::ffff:1.2.3.4`) as plain IPv4. */
function plainIp(address: string): string {
  const v4 = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1];
  return (v4 ?? address).toLowerCase();
}

/**
 * The client's IP address, for limits and for consent and unsubscribe records. X-Forwarded-For is
 * believed only when the socket's peer is one of `trustProxy` (TRUST_PROXY); then the client is the
 * right-most address in it that is not one of those proxies (the left part is whatever the client sent),
 * or the proxy itself when it sent none.
 */
export function clientIp(c: Context, trustProxy: readonly string[] = []): string {
  let peer = 'unknown';
  try {
    peer = plainIp(getConnInfo(c).remote.address ?? 'unknown');
  } catch {
    return peer;
  }
  const proxies = new Set(trustProxy.map(plainIp));
  if (!proxies.has(peer)) return peer;
  // No X-Forwarded-For: the proxy itself asked (a load balancer's health check), and it is the client.
  const hops = (c.req.header('x-forwarded-for') ?? '')
    .split(',')
    .map((h) => plainIp(h.trim()))
    .filter((h) => h !== '');
  for (const hop of hops.reverse()) {
    if (proxies.has(hop)) continue;
    return isIP(hop) ? hop : 'unknown';
  }
  return peer;
}
