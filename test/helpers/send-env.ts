import type { Redis } from 'ioredis';
import { bounceStoreOf } from '../../src/bounces/policy.ts';
import { type Config, loadConfig } from '../../src/config.ts';
import type { Locale } from '../../src/issue/schema.ts';
import { createQueues, type Queues } from '../../src/send/jobs/queues.ts';
import type { SendRecord } from '../../src/send/record/send-store.ts';
import { createSendStore, type SendStore } from '../../src/send/record/send-store.ts';
import { createSubscriberStore, type SubscriberStore } from '../../src/subscribers/subscriber-store.ts';
import { TEST_REDIS_URL } from './redis.ts';

/** Settings for a test: its own key prefix (queues included), a sink URL and quick retries. */
export function testConfig(prefix: string, env: Record<string, string> = {}): Config {
  return loadConfig({
    REDIS_URL: TEST_REDIS_URL,
    REDIS_PREFIX: prefix,
    GAZETTE_SECRET: 'test-secret-0123456789abcdef0123456789',
    PUBLIC_URL: 'https://gazette.test',
    MAIL_FROM: 'Gazette Test <news@gazette.test>',
    BOUNCE_DOMAIN: 'bounce.gazette.test',
    SEND_BACKOFF_MS: '200',
    WORKER_LOCK_MS: '4000',
    ...env,
  });
}

/** The stores and queues a send needs, on the test's prefix. */
export interface SendEnv {
  config: Config;
  sends: SendStore;
  subscribers: SubscriberStore;
  queues: Queues;
}

/** Builds the stores and queues for a test; close the queues in afterAll. */
export function sendEnv(redis: Redis, config: Config): SendEnv {
  return {
    config,
    sends: createSendStore({ redis, prefix: config.REDIS_PREFIX, bounces: bounceStoreOf(redis, config) }),
    subscribers: createSubscriberStore({ redis, prefix: config.REDIS_PREFIX }),
    queues: createQueues(config),
  };
}

/** Adds `count` active subscribers `reader<i>@example.org` to `list`; returns their ids in order. */
export async function addReaders(
  subscribers: SubscriberStore,
  list: string,
  count: number,
  opts: { domain?: string; name?: (i: number) => string; locale?: Locale } = {},
): Promise<number[]> {
  const ids: number[] = [];
  for (let start = 0; start < count; start += 1000) {
    const rows = Array.from({ length: Math.min(1000, count - start) }, (_, k) => {
      const i = start + k;
      return {
        email: `reader${i}@${opts.domain ?? 'example.org'}`,
        name: opts.name ? opts.name(i) : `Reader ${i}`,
        locale: opts.locale ?? ('ja' as const),
        status: 'active' as const,
        lists: [list],
      };
    });
    ids.push(...(await subscribers.createMany(rows)).map((r) => r.id));
  }
  return ids;
}

/** Polls `check` every 50 ms until it returns true or `ms` pass (then throws with `what`). */
export async function waitFor(
  check: () => Promise<boolean> | boolean,
  ms: number,
  what: string,
): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A send record as `createSend` would store it for a running send, with fields overridden as given. */
export function sendRecordFixture(overrides: Partial<SendRecord> & Pick<SendRecord, 'id'>): SendRecord {
  const now = Date.now();
  return {
    list: 'l',
    from: 'Gazette <news@gazette.test>',
    issue: 201,
    subject: 'No.201',
    state: 'sending',
    at: now,
    createdAt: now,
    startedAt: now,
    doneAt: null,
    lastAt: null,
    fanoutDone: false,
    cursor: 0,
    expected: 0,
    testTo: null,
    reason: null,
    ...overrides,
  };
}
