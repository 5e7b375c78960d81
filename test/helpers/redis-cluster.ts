import { type ChildProcess, execFile, spawn, spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from '../../src/free-port.ts';

const run = promisify(execFile);

/** Whether `redis-server` and `redis-cli` can be run here (cluster tests skip, saying so, without them). */
export const hasRedisServer =
  spawnSync('redis-server', ['--version']).status === 0 && spawnSync('redis-cli', ['--version']).status === 0;

/** One `redis-server` of a test cluster. */
export interface ClusterNode {
  port: number;
  process: ChildProcess;
}

/** A real Redis Cluster of local processes, 3 masters and a replica each, in a temporary folder. */
export interface TestCluster {
  nodes: ClusterNode[];
  /** `127.0.0.1:port,…`: every node, for REDIS_CLUSTER_NODES. */
  seeds: string;
  /** Kills one node with SIGKILL (as a crash would) and waits until it is gone. */
  kill(port: number): Promise<void>;
  /** Stops every node and removes the folder. */
  stop(): Promise<void>;
}

/** Starts one node and resolves once it accepts connections. */
function startNode(dir: string, port: number, bus: number): Promise<ClusterNode> {
  // biome-ignore format: one setting a line
  const child = spawn('redis-server', [
    '--port', String(port), '--cluster-port', String(bus), '--bind', '127.0.0.1',
    '--cluster-enabled', 'yes', '--cluster-config-file', `nodes-${port}.conf`,
    '--cluster-node-timeout', '2000', '--appendonly', 'yes', '--appendfilename', `aof-${port}.aof`,
    '--appenddirname', `aof-${port}`, '--dbfilename', `dump-${port}.rdb`, '--save', '',
    '--dir', dir, '--logfile', '', '--protected-mode', 'no',
  ], { stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('Ready to accept connections')) resolve({ port, process: child });
    });
    child.once('exit', (code) => reject(new Error(`redis-server on ${port} exited with ${code}: ${out}`)));
  });
}

/** Asks one node a question with redis-cli; '' when it does not answer. */
async function ask(port: number, ...args: string[]): Promise<string> {
  try {
    return (await run('redis-cli', ['-p', String(port), ...args], { timeout: 5000 })).stdout;
  } catch {
    return '';
  }
}

/** Resolves once every node in `ports` says `cluster_state:ok` and knows every node. */
export async function untilClusterOk(ports: readonly number[], count: number, ms = 30_000): Promise<void> {
  const end = Date.now() + ms;
  for (;;) {
    const infos = await Promise.all(ports.map((p) => ask(p, 'cluster', 'info')));
    const ok = infos.every(
      (i) => i.includes('cluster_state:ok') && i.includes(`cluster_known_nodes:${count}`),
    );
    if (ok) return;
    if (Date.now() > end) throw new Error(`the cluster is not ok after ${ms} ms:\n${infos.join('\n')}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/**
 * Starts 6 `redis-server` processes (cluster-enabled, AOF, a node timeout of 2 s) on free ports,
 * joins them with `redis-cli --cluster create … --cluster-replicas 1`, and resolves once every node
 * says the cluster is ok.
 */
export async function startTestCluster(): Promise<TestCluster> {
  const dir = await mkdtemp(join(tmpdir(), 'gazette-cluster-'));
  const nodes: ClusterNode[] = [];
  const stop = async () => {
    for (const n of nodes) if (n.process.exitCode === null) n.process.kill('SIGKILL');
    await Promise.all(
      nodes.map((n) =>
        n.process.exitCode === null && n.process.signalCode === null
          ? new Promise((r) => n.process.once('exit', r))
          : null,
      ),
    );
    await rm(dir, { recursive: true, force: true });
  };
  try {
    const ports = new Set<number>();
    while (ports.size < 12) ports.add(await freePort());
    const [clients, buses] = [[...ports].slice(0, 6), [...ports].slice(6)];
    for (const [i, port] of clients.entries()) nodes.push(await startNode(dir, port, buses[i] as number));
    await run(
      'redis-cli',
      [
        '--cluster',
        'create',
        ...clients.map((p) => `127.0.0.1:${p}`),
        '--cluster-replicas',
        '1',
        '--cluster-yes',
      ],
      { timeout: 60_000 },
    );
    await untilClusterOk(clients, 6);
  } catch (err) {
    await stop();
    throw err;
  }
  return {
    nodes,
    seeds: nodes.map((n) => `127.0.0.1:${n.port}`).join(','),
    async kill(port) {
      const node = nodes.find((n) => n.port === port);
      if (!node || node.process.exitCode !== null) return;
      const gone = new Promise((r) => node.process.once('exit', r));
      node.process.kill('SIGKILL');
      await gone;
    },
    stop,
  };
}
