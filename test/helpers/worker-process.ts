import { type ChildProcess, spawn } from 'node:child_process';
import type { Config } from '../../src/config.ts';

/** Worker processes a test started; kill them all in afterAll. */
export const workerChildren: ChildProcess[] = [];

/** The environment a worker process gets from a test's settings (and `extra`). */
export function workerEnv(config: Config, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    ...process.env,
    REDIS_URL: config.REDIS_URL,
    REDIS_PREFIX: config.REDIS_PREFIX,
    SMTP_URL: config.SMTP_URL,
    GAZETTE_SECRET: config.GAZETTE_SECRET,
    PUBLIC_URL: config.PUBLIC_URL,
    WORKER_LOCK_MS: String(config.WORKER_LOCK_MS),
    SEND_BACKOFF_MS: String(config.SEND_BACKOFF_MS),
    SEND_BATCH_SIZE: String(config.SEND_BATCH_SIZE),
    ...(config.REDIS_CLUSTER_NODES ? { REDIS_CLUSTER_NODES: config.REDIS_CLUSTER_NODES } : {}),
    ...extra,
  };
}

/** Starts `workers/index.ts` as a real process with the test's settings (and `extra`); resolves once it is ready. */
export function startWorkerProcess(
  config: Config,
  extra: Record<string, string> = {},
): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'workers/index.ts'], {
    env: workerEnv(config, extra),
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  workerChildren.push(child);
  return new Promise((resolve, reject) => {
    let err = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      err += chunk.toString();
      if (err.includes(' ready: ')) resolve(child);
    });
    child.once('exit', (code) => reject(new Error(`worker exited with ${code}: ${err}`)));
  });
}
