/**
 * Recording bounce events (issue 9): one script run per event, and a webhook batch of 1,000 events in
 * one pipelined round trip, each against the same number of plain HSETs done the same way (one round
 * trip each; one pipeline). Prints two JSON lines. Uses its own key prefix and removes it afterwards.
 */
import { randomBytes } from 'node:crypto';
import { createBounceStore, type RecordRequest } from '../src/bounces/bounce-store.ts';
import { loadConfig } from '../src/config.ts';
import { createRedis, deleteKeys } from '../src/redis.ts';

const EVENTS = Number(process.argv[2] ?? 2000);
const BATCH = 1000;
const ROUNDS = 3;

const config = loadConfig(process.env);
const prefix = `gzbench-brecord-${randomBytes(4).toString('hex')}`;
const redis = createRedis(config.REDIS_URL);
const store = createBounceStore({ redis, prefix, rawDays: 14, softDays: 30 });

let seq = 0;
function request(kind: 'hard' | 'soft'): RecordRequest {
  const n = seq++;
  return {
    identity: `bench:${n}`,
    suppressAt: kind === 'soft' ? 3 : 0,
    event: {
      at: Date.now(),
      email: `reader${n % 5000}@bench.example`,
      subscriber: n % 5000,
      send: 'sbench',
      kind,
      reason: kind === 'soft' ? 'mailbox_full' : 'user_unknown',
      status: kind === 'soft' ? '4.2.2' : '5.1.1',
      diagnostic: `550 5.1.1 <reader${n}@bench.example>: Recipient address rejected: User unknown`,
      source: 'webhook',
      code: '',
      verified: true,
      raw: '',
    },
  };
}

async function time(fn: () => Promise<unknown>): Promise<number> {
  const start = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

/** The best of ROUNDS runs, in ms (the machine is shared: the best run is the least disturbed). */
async function best(fn: () => Promise<unknown>): Promise<number> {
  let ms = Number.POSITIVE_INFINITY;
  for (let r = 0; r < ROUNDS; r++) ms = Math.min(ms, await time(fn));
  return Math.round(ms * 10) / 10;
}

const hsetKey = `${prefix}:hset`;
try {
  const one = await best(async () => {
    for (let i = 0; i < EVENTS; i++) await store.record(request(i % 3 === 0 ? 'soft' : 'hard'));
  });
  const oneBase = await best(async () => {
    for (let i = 0; i < EVENTS; i++)
      await redis.hset(`${hsetKey}:${i}`, 'kind', 'hard', 'reason', 'user_unknown');
  });
  console.log(
    JSON.stringify({
      name: 'bounce-record-event',
      events: EVENTS,
      ms: one,
      usPerEvent: Math.round((one * 1000) / EVENTS),
      baseline: { name: `${EVENTS} plain HSETs, one round trip each`, ms: oneBase },
      ratio: Math.round((one / oneBase) * 100) / 100,
    }),
  );

  const batch = await best(() =>
    store.recordMany(Array.from({ length: BATCH }, (_, i) => request(i % 3 === 0 ? 'soft' : 'hard'))),
  );
  const batchBase = await best(async () => {
    const p = redis.pipeline();
    for (let i = 0; i < BATCH; i++) p.hset(`${hsetKey}:b${i}`, 'kind', 'hard', 'reason', 'user_unknown');
    await p.exec();
  });
  console.log(
    JSON.stringify({
      name: 'bounce-record-webhook-batch',
      events: BATCH,
      roundTrips: 1,
      ms: batch,
      baseline: { name: `${BATCH} plain HSETs in one pipeline`, ms: batchBase },
      ratio: Math.round((batch / batchBase) * 100) / 100,
    }),
  );
} finally {
  await deleteKeys(redis, `${prefix}:*`);
  await redis.quit();
}
