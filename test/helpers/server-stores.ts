import type { Redis } from 'ioredis';
import { createClickStore } from '../../src/clicks/click-store.ts';
import { createSendStore } from '../../src/send/send-store.ts';

/** The send and click stores a test server needs beside its subscriber store, on the test's prefix. */
export function serverStores(redis: Redis, prefix: string) {
  return { sends: createSendStore({ redis, prefix }), clicks: createClickStore({ redis, prefix }) };
}
