import { type ChainableCommander, Cluster, type ClusterOptions, Redis, type RedisOptions } from 'ioredis';

/**
 * A connection to one Redis or to a Redis Cluster: what every store takes. The stores only use
 * what both clients share; the few places that differ (pipelines, scans) go through `batch` and
 * `deleteKeys` below.
 */
export type AnyRedis = Redis | Cluster;

import type { Config } from './config.ts';

/** What every Redis-backed store takes: a connection, the key prefix (config.REDIS_PREFIX) and a clock (epoch ms). */
export interface StoreDeps {
  redis: AnyRedis;
  prefix: string;
  clock?: () => number;
}

/**
 * The settings that say where Gazette's Redis is: one Redis at REDIS_URL, a primary the sentinels
 * name (REDIS_SENTINELS, REDIS_SENTINEL_NAME), or the seed nodes of a cluster (REDIS_CLUSTER_NODES).
 */
export type RedisTarget = Pick<
  Config,
  'REDIS_URL' | 'REDIS_CLUSTER_NODES' | 'REDIS_SENTINELS' | 'REDIS_SENTINEL_NAME' | 'REDIS_SENTINEL_PASSWORD'
>;

/**
 * ioredis options for a primary watched by Sentinel: the sentinels and the name from the settings;
 * user name, password, database and TLS from REDIS_URL (its host is not used). Undefined for one Redis.
 */
export function sentinelOptions(target: RedisTarget): Omit<RedisOptions, 'retryStrategy'> | undefined {
  if (target.REDIS_SENTINELS.length === 0 || !target.REDIS_SENTINEL_NAME) return undefined;
  const url = new URL(target.REDIS_URL);
  const db = Number(url.pathname.slice(1) || 0);
  return {
    sentinels: target.REDIS_SENTINELS,
    name: target.REDIS_SENTINEL_NAME,
    ...(url.username ? { username: decodeURIComponent(url.username) } : {}),
    ...(url.password ? { password: decodeURIComponent(url.password) } : {}),
    ...(target.REDIS_SENTINEL_PASSWORD ? { sentinelPassword: target.REDIS_SENTINEL_PASSWORD } : {}),
    ...(db ? { db } : {}),
    ...(url.protocol === 'rediss:' ? { tls: {}, enableTLSForSentinelMode: true } : {}),
  };
}

/**
 * Opens a Redis connection to `target` (the settings, or a URL). `blocking` connections (BullMQ
 * workers) need `maxRetriesPerRequest: null` so that a long BRPOPLPUSH is never cut off.
 */
export function createRedis(
  target: string | RedisTarget,
  opts: { blocking?: boolean } & RedisOptions = {},
): Redis {
  const { blocking, ...rest } = opts;
  const options = { lazyConnect: false, ...(blocking ? { maxRetriesPerRequest: null } : {}), ...rest };
  if (typeof target === 'string') return new Redis(target, options);
  const sentinel = sentinelOptions(target);
  return sentinel ? new Redis({ ...sentinel, ...options }) : new Redis(target.REDIS_URL, options);
}

/** The seed nodes of REDIS_CLUSTER_NODES (`host:port,host:port`); empty when it is unset or blank. */
export function clusterNodes(value: string | undefined): { host: string; port: number }[] {
  return (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((s) => {
      const at = s.lastIndexOf(':');
      return { host: s.slice(0, at), port: Number(s.slice(at + 1)) };
    });
}

/**
 * Opens the connection `place` names: ioredis's Cluster client when REDIS_CLUSTER_NODES is set
 * (user, password and TLS taken from REDIS_URL, as for one Redis), else one Redis at REDIS_URL or
 * the primary the sentinels name (createRedis).
 * The options are those of one Redis; for a cluster `retryStrategy` becomes its
 * `clusterRetryStrategy` and the rest applies to each node's connection. A cluster turns hash
 * tags on for this process's keys (see taggedKey). (No auto-pipelining: ioredis routes an
 * auto-pipelined script by its first argument, which for our scripts is the number of keys.)
 */
export function connectRedis(place: RedisTarget, opts: { blocking?: boolean } & RedisOptions = {}): AnyRedis {
  const nodes = clusterNodes(place.REDIS_CLUSTER_NODES);
  if (nodes.length === 0) return createRedis(place, opts);
  setHashTags(true);
  const { blocking, retryStrategy, lazyConnect, ...rest } = opts;
  const url = new URL(place.REDIS_URL);
  const options: ClusterOptions = {
    lazyConnect: lazyConnect ?? false,
    // A command to a master that died waits out the failover (the node timeout, then the replica's
    // election: seconds) instead of failing: it is tried again every half second, for up to 30 s.
    retryDelayOnFailover: 500,
    retryDelayOnClusterDown: 500,
    retryDelayOnTryAgain: 500,
    maxRedirections: 60,
    ...(retryStrategy ? { clusterRetryStrategy: (times: number) => retryStrategy(times) } : {}),
    redisOptions: {
      ...(url.username ? { username: decodeURIComponent(url.username) } : {}),
      ...(url.password ? { password: decodeURIComponent(url.password) } : {}),
      ...(url.protocol === 'rediss:' ? { tls: {} } : {}),
      ...(blocking ? { maxRetriesPerRequest: null } : {}),
      ...rest,
    },
  };
  return new Cluster(nodes, options);
}

/**
 * A new connection to the same Redis (or cluster) as `redis`, for a BullMQ worker: it never gives up
 * on a command (`maxRetriesPerRequest: null`) and reconnects after `retry(times)` ms.
 */
export function blockingCopy(redis: AnyRedis, retry: (times: number) => number): AnyRedis {
  if (!isCluster(redis)) return redis.duplicate({ maxRetriesPerRequest: null, retryStrategy: retry });
  return redis.duplicate(undefined, {
    clusterRetryStrategy: retry,
    redisOptions: { ...redis.options.redisOptions, maxRetriesPerRequest: null },
  });
}

/** Whether `redis` is a cluster client. */
export function isCluster(redis: AnyRedis): redis is Cluster {
  return redis.isCluster;
}

/*
 * Key layout. Every key is `<prefix>:…` (redisKey). A Redis Cluster runs a MULTI or a Lua script
 * only when all its keys hash to one slot, so a key that a script or MULTI uses together with
 * others is built with taggedKey: on a cluster the tag is wrapped in braces (`gazette:{sends:s1}:counts`)
 * and only the tag is hashed; on one Redis there are no braces and every key keeps its old name.
 * The tags, each the smallest group one script needs:
 *   sends:<id>    a send's record, counters, bitmaps, pass keys (the settle and retry scripts)
 *   clicks:<id>   a send's click counters and bitmaps (the click script)
 *   list          the list names and every list's member bitmap (renaming a list)
 *   bounces       bounce events, per-address and per-send bounce counters (the bounce script)
 *   issue         issues, their revisions and conversations (the save script)
 *   <queue>       each BullMQ queue under its own prefix `<prefix>:{<queue>}` (send, deliver, …)
 * Everything else (subscriber records, the e-mail index buckets, suppressions, accounts, sessions)
 * is read and written one key at a time, untagged, so it spreads over every master; the steps that
 * span several of those keys are ordered so that a crash between them loses nothing that matters
 * (subscriber-store.ts says how).
 */
let hashTags = false;

/** Turns hash tags on (a Redis Cluster) or off (one Redis) for this process's keys; connectRedis calls it. */
export function setHashTags(on: boolean): void {
  hashTags = on;
}

/** Builds a namespaced key: `prefix:part:part`. Every Gazette key goes through here or taggedKey. */
export function redisKey(prefix: string, ...parts: (string | number)[]): string {
  return [prefix, ...parts].join(':');
}

/**
 * A key that shares a hash slot with every other key of the same `tag` (see the layout above):
 * `prefix:{tag}:part` on a cluster, `prefix:tag:part` on one Redis.
 */
export function taggedKey(prefix: string, tag: string, ...parts: (string | number)[]): string {
  return redisKey(prefix, hashTags ? `{${tag}}` : tag, ...parts);
}

/**
 * A key in `tag`'s slot named by the tag's word and `suffix` with no colon between (`<prefix>:users`
 * beside `<prefix>:user:<email>`, `<prefix>:totp-pending:<email>` beside `<prefix>:totp:<email>`):
 * `prefix:{tag}suffix:part` on a cluster, so that on one Redis the key keeps its old name.
 */
export function siblingKey(
  prefix: string,
  tag: string,
  suffix: string,
  ...parts: (string | number)[]
): string {
  return [`${taggedKey(prefix, tag)}${suffix}`, ...parts].join(':');
}

/**
 * Commands to run together, answered like a pipeline (`exec` gives `[error, reply]` in order). On
 * one Redis it is a pipeline: one round trip. A cluster's pipeline must keep to one node, so there
 * each command goes on its own, all at once: the client writes each to its node's connection
 * without waiting for the replies before, so it costs about one round trip per node too, in
 * parallel, with more writes. Not a transaction on either.
 */
export function batch(redis: AnyRedis): ChainableCommander {
  if (!isCluster(redis)) return redis.pipeline();
  const queued: [string, unknown[]][] = [];
  const run = (name: string, args: unknown[]): Promise<[Error | null, unknown]> =>
    (redis as unknown as Record<string, (...a: unknown[]) => Promise<unknown>>)[name]?.(...args).then(
      (v): [Error | null, unknown] => [null, v],
      (e: Error): [Error | null, unknown] => [e, null],
    ) ?? Promise.resolve([new Error(`no command ${name}`), null]);
  const proxy: ChainableCommander = new Proxy({} as ChainableCommander, {
    get(_, name) {
      if (name === 'then') return undefined;
      if (name === 'length') return queued.length;
      if (name === 'exec') return () => Promise.all(queued.map(([n, args]) => run(n, args)));
      return (...args: unknown[]) => {
        queued.push([String(name), args]);
        return proxy;
      };
    },
  });
  return proxy;
}

/** The servers to scan: every master of a cluster, or the one Redis. */
export function scanTargets(redis: AnyRedis): Redis[] {
  return isCluster(redis) ? redis.nodes('master') : [redis];
}

/**
 * Deletes every key matching `pattern`, in batches with SCAN and UNLINK, without blocking Redis;
 * on a cluster, on every master (one key per UNLINK: a command's keys must share a slot).
 */
export async function deleteKeys(redis: AnyRedis, pattern: string): Promise<void> {
  for (const node of scanTargets(redis)) {
    let cursor = '0';
    do {
      const [next, keys] = await node.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
      cursor = next;
      if (keys.length === 0) continue;
      if (!isCluster(redis)) await node.unlink(...keys);
      else {
        const pipeline = node.pipeline();
        for (const key of keys) pipeline.unlink(key);
        await pipeline.exec();
      }
    } while (cursor !== '0');
  }
}
