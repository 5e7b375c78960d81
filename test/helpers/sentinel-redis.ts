import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { freePort } from '../../src/free-port.ts';
import { waitFor } from './send-env.ts';

/** The name the sentinels watch the primary by. */
export const SENTINEL_NAME = 'gazette-test';

/** A primary, its replica and three sentinels, each a real process on a free loopback port. */
export interface SentinelRedis {
  /** The settings that point Gazette at it: REDIS_SENTINELS, REDIS_SENTINEL_NAME, REDIS_URL (no host used). */
  env: Record<string, string>;
  primaryPort: number;
  replicaPort: number;
  /** The port the sentinels name as the primary now (asks the first one that answers). */
  primaryNow(): Promise<number>;
  /** SIGKILLs the primary's redis-server and waits until it is gone. */
  killPrimary(): Promise<void>;
  /** Kills every process and removes the data folder. */
  close(): Promise<void>;
}

const LOOPBACK = '127.0.0.1';

/** Asks the Redis or sentinel on `port` one command, on a connection that does not retry. */
async function ask(port: number, ...command: string[]): Promise<unknown> {
  const client = new Redis({
    host: LOOPBACK,
    port,
    lazyConnect: true,
    retryStrategy: () => null,
    maxRetriesPerRequest: 0,
  });
  client.on('error', () => {});
  try {
    await client.connect();
    return await client.call(command[0] as string, ...command.slice(1));
  } finally {
    client.disconnect();
  }
}

/**
 * Starts a primary (AOF on) and one replica of it, then three `redis-sentinel` with a quorum of two,
 * a one-second `down-after-milliseconds` and a short `failover-timeout`; resolves once the replica is
 * in sync and every sentinel knows the replica and the two other sentinels (so a failover can start).
 */
export async function startSentinelRedis(): Promise<SentinelRedis> {
  const dir = mkdtempSync(join(tmpdir(), 'gazette-sentinel-'));
  const children: ChildProcess[] = [];
  const start = (command: string, args: string[]) => {
    const child = spawn(command, args, { stdio: 'ignore' });
    children.push(child);
    return child;
  };
  const server = (name: string, port: number, extra: string[] = []) => {
    const data = join(dir, name);
    mkdirSync(data, { recursive: true });
    return start('redis-server', [
      ...['--port', String(port), '--bind', LOOPBACK, '--dir', data, '--save', ''],
      ...['--appendonly', 'yes', '--appendfsync', 'everysec', '--maxmemory-policy', 'noeviction'],
      ...extra,
    ]);
  };
  const close = async () => {
    for (const child of children)
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await Promise.all(
      children.map((c) =>
        c.exitCode === null && c.signalCode === null ? new Promise((r) => c.once('exit', r)) : null,
      ),
    );
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const primaryPort = await freePort();
    const replicaPort = await freePort();
    const primary = server('primary', primaryPort);
    server('replica', replicaPort, ['--replicaof', LOOPBACK, String(primaryPort)]);
    await waitFor(
      async () =>
        /master_link_status:up/.test(String(await ask(replicaPort, 'INFO', 'replication').catch(() => ''))),
      20_000,
      'the replica to sync',
    );
    const sentinelPorts = [await freePort(), await freePort(), await freePort()];
    for (const [i, port] of sentinelPorts.entries()) {
      const conf = join(dir, `sentinel-${i}.conf`);
      writeFileSync(
        conf,
        [
          `port ${port}`,
          `bind ${LOOPBACK}`,
          `dir ${dir}`,
          `sentinel monitor ${SENTINEL_NAME} ${LOOPBACK} ${primaryPort} 2`,
          `sentinel down-after-milliseconds ${SENTINEL_NAME} 1000`,
          `sentinel failover-timeout ${SENTINEL_NAME} 5000`,
          `sentinel parallel-syncs ${SENTINEL_NAME} 1`,
          '',
        ].join('\n'),
      );
      start('redis-sentinel', [conf]);
    }
    await waitFor(
      async () => {
        const views = await Promise.all(
          sentinelPorts.map((p) => ask(p, 'SENTINEL', 'MASTER', SENTINEL_NAME).catch(() => [])),
        );
        return views.every((v) => {
          const fields = v as string[];
          const field = (name: string) => fields[fields.indexOf(name) + 1];
          return field('num-slaves') === '1' && field('num-other-sentinels') === '2';
        });
      },
      30_000,
      'the sentinels to know the replica and each other',
    );
    return {
      env: {
        REDIS_URL: `redis://${LOOPBACK}:${primaryPort}`,
        REDIS_SENTINELS: sentinelPorts.map((p) => `${LOOPBACK}:${p}`).join(','),
        REDIS_SENTINEL_NAME: SENTINEL_NAME,
      },
      primaryPort,
      replicaPort,
      async primaryNow() {
        for (const port of sentinelPorts) {
          const addr = (await ask(port, 'SENTINEL', 'GET-MASTER-ADDR-BY-NAME', SENTINEL_NAME).catch(
            () => null,
          )) as [string, string] | null;
          if (addr) return Number(addr[1]);
        }
        throw new Error('no sentinel answers');
      },
      async killPrimary() {
        if (primary.exitCode !== null || primary.signalCode !== null) return;
        const gone = new Promise((r) => primary.once('exit', r));
        primary.kill('SIGKILL');
        await gone;
      },
      close,
    };
  } catch (err) {
    await close();
    throw err;
  }
}
