import { isIP } from 'node:net';
import type { Context } from 'hono';
import type { Redis } from 'ioredis';
import { clientIp } from '../http/client-ip.ts';
import { isPrivateAddress } from '../http/private-address.ts';
import { type AnyRedis, isCluster } from '../redis.ts';

/** Which Redis a connection reached, where there is a choice: the mode, the node's address and its role. */
export type RedisReached =
  | {
      /** The one Redis at REDIS_URL: its place is the configuration's, not news. */
      mode: 'single';
    }
  | {
      mode: 'sentinel';
      /** host:port of the node the connection is on (never a password). */
      address: string;
      /** What the node says it is (ROLE): `master` once the sentinels' primary is reached. */
      role: string;
    }
  | {
      mode: 'cluster';
      /** host:port of each master the cluster client knows, as the cluster told it. */
      masters: string[];
    };

/** The node `redis` is connected to, as host:port (IPv6 in brackets); `unknown` without a socket. */
function connectedTo(redis: Redis): string {
  const socket = (redis as unknown as { stream?: { remoteAddress?: string; remotePort?: number } }).stream;
  if (!socket?.remoteAddress) return 'unknown';
  const host = socket.remoteAddress.includes(':') ? `[${socket.remoteAddress}]` : socket.remoteAddress;
  return `${host}:${socket.remotePort}`;
}

/** Asks Redis once: PING for one Redis; ROLE, and where the connection is, behind Sentinel; every master's PING on a cluster. */
async function probe(redis: AnyRedis): Promise<RedisReached> {
  if (isCluster(redis)) {
    const masters = redis.nodes('master');
    await Promise.all(masters.map((node) => node.ping()));
    return { mode: 'cluster', masters: masters.map((node) => `${node.options.host}:${node.options.port}`) };
  }
  if (!redis.options.sentinels) {
    await redis.ping();
    return { mode: 'single' };
  }
  const [role] = (await redis.call('ROLE')) as [string, ...unknown[]];
  return { mode: 'sentinel', address: connectedTo(redis), role };
}

/**
 * GET /health: 200 when Redis answers within a second, else 503 (at once while disconnected); JSON.
 * It also says which Redis answered: `mode` single, sentinel or cluster. To a client in the operator's
 * own network (loopback or private, behind TRUST_PROXY as the client address is read everywhere) it
 * names the node reached (`address`, `role`) or the cluster's `masters`; the internet learns no
 * internal address.
 */
export function health(redis: AnyRedis, trustProxy: readonly string[] = []) {
  return async (c: Context) => {
    if (redis.status !== 'ready') return c.json({ status: 'error', redis: redis.status }, 503);
    const client = clientIp(c, trustProxy);
    const inside = isIP(client) !== 0 && isPrivateAddress(client);
    try {
      const timeout = new Promise<never>((_, reject) =>
        setTimeout(() => reject(new Error('timed out')), 1000).unref(),
      );
      const reached = await Promise.race([probe(redis), timeout]);
      return c.json({ status: 'ok', redis: 'ok', ...(inside ? reached : { mode: reached.mode }) });
    } catch (err) {
      // Redis's own words may name a node: only the operator's network reads them.
      return c.json({ status: 'error', redis: inside ? (err as Error).message : 'unavailable' }, 503);
    }
  };
}
