import type { Redis } from 'ioredis';
import { createGazette } from '../../src/app.ts';
import type { Config } from '../../src/config.ts';

/** The stores and the bounce policy a test server needs beside its subscriber store, from the composition root. */
export function serverStores(redis: Redis, config: Config) {
  const { sends, clicks, policy } = createGazette(config, { redis });
  return { sends, clicks, policy };
}
