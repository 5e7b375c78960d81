/**
 * Inbound bounce receiver throughput: messages per second it accepts (kept in Redis and queued for
 * the bounce worker) from a nodemailer pool sending the fixture bounces, against a bare smtp-server
 * that accepts and discards the same messages (the SMTP cost alone). Prints one JSON line.
 * Needs Redis (REDIS_URL, default 127.0.0.1:6379); its keys go under a prefix of their own, removed after.
 * Usage: npx tsx scripts/bench-bounce-receiver.ts [messages per round, default 2000]
 */
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import { SMTPServer } from 'smtp-server';
import { startBounceClassifier } from '../src/bounces/bounce-classifier.ts';
import { createBounceQueue } from '../src/bounces/bounce-queue.ts';
import { createBounceStore } from '../src/bounces/bounce-store.ts';
import { startBounceReceiver } from '../src/bounces/sources/inbound-smtp.ts';
import { createReceiverQuota } from '../src/bounces/sources/receiver-quota.ts';
import { loadConfig } from '../src/config.ts';
import { createRedis } from '../src/redis.ts';
import { createSubscriberStore } from '../src/subscribers/subscriber-store.ts';
import { signToken } from '../src/tokens.ts';

const DIR = join(import.meta.dirname, '../test/fixtures/bounces');
const fixtures = readdirSync(DIR)
  .filter((f) => f.endsWith('.eml'))
  .sort()
  .map((f) => readFileSync(join(DIR, f)));
const perRound = Number(process.argv[2] ?? 2000);
const ROUNDS = 3;
const IN_FLIGHT = 50;

const prefix = `gzbench-receiver-${randomBytes(4).toString('hex')}`;
const config = loadConfig({
  ...process.env,
  REDIS_PREFIX: prefix,
  GAZETTE_SECRET: 'bench-secret-0123456789abcdef0123456789',
  BOUNCE_DOMAIN: 'bounce.bench.test',
  // The bench measures throughput, not the quotas: every message comes from 127.0.0.1.
  BOUNCE_IP_MESSAGES_HOUR: '10000000',
  BOUNCE_IP_BYTES_HOUR: '100000000000',
  BOUNCE_TOTAL_MESSAGES_HOUR: '10000000',
  BOUNCE_TOTAL_BYTES_HOUR: '100000000000',
});
const redis = createRedis(config.REDIS_URL);
const queue = createBounceQueue(config);
const classifier = await startBounceClassifier();
const receiver = await startBounceReceiver(
  {
    config,
    bounces: createBounceStore({ redis, prefix, rawDays: 1, softDays: 30 }),
    queue,
    quota: createReceiverQuota({ redis, prefix, config }),
    classifier,
    subscribers: createSubscriberStore({ redis, prefix }),
    log: (m) => console.error(m),
  },
  { port: 0, host: '127.0.0.1' },
);

/** The baseline: an smtp-server with the same options that reads each message and throws it away. */
const bare = new SMTPServer({
  size: config.BOUNCE_MAX_BYTES,
  authOptional: true,
  disabledCommands: ['AUTH', 'STARTTLS'],
  disableReverseLookup: true,
  logger: false,
  onData(stream, _session, callback) {
    stream.on('data', () => {});
    stream.on('end', () => callback());
  },
});
await new Promise<void>((resolve) => bare.listen(0, '127.0.0.1', resolve));
const barePort = (bare.server.address() as AddressInfo).port;

const to = `bounces+${signToken(config.GAZETTE_SECRET, 'bounce', ['sbench', '1'])}@${config.BOUNCE_DOMAIN}`;
let serial = 0;

/** Sends `n` fixture bounces to `port`, each made unique by a Received line (as a relay's would be). */
async function round(port: number, n: number): Promise<{ n: number; ns: bigint }> {
  const transport = nodemailer.createTransport({
    host: '127.0.0.1',
    port,
    ignoreTLS: true,
    pool: true,
    maxConnections: 5,
    maxMessages: Number.POSITIVE_INFINITY,
  });
  let next = 0;
  const start = process.hrtime.bigint();
  const lane = async () => {
    while (next < n) {
      const i = next++;
      const fixture = fixtures[i % fixtures.length] as Buffer;
      const received = Buffer.from(`Received: from relay.bench.test by mx id ${serial++}\r\n`);
      await transport.sendMail({ envelope: { from: '', to: [to] }, raw: Buffer.concat([received, fixture]) });
    }
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, lane));
  const ns = process.hrtime.bigint() - start;
  transport.close();
  return { n, ns };
}

try {
  await round(receiver.port, 200);
  await round(barePort, 200);
  // Interleave the sides so that load from other processes on this shared machine hits both alike.
  const totals = { ours: { n: 0, ns: 0n }, base: { n: 0, ns: 0n } };
  for (let r = 0; r < ROUNDS; r++) {
    for (const [side, port] of [
      ['base', barePort],
      ['ours', receiver.port],
    ] as const) {
      const result = await round(port, perRound);
      totals[side].n += result.n;
      totals[side].ns += result.ns;
    }
  }
  const perSec = (t: { n: number; ns: bigint }) => Math.round((t.n * 1e9) / Number(t.ns));
  const bytes = fixtures.reduce((sum, f) => sum + f.length, 0);
  console.log(
    JSON.stringify({
      name: 'bounce-receiver',
      messages: totals.ours.n,
      averageBytes: Math.round(bytes / fixtures.length),
      msgPerSec: perSec(totals.ours),
      baseline: {
        name: 'bare smtp-server that accepts and discards, same client',
        messages: totals.base.n,
        msgPerSec: perSec(totals.base),
      },
      // Ours over the baseline: 1.0 would mean keeping and queueing each message costs nothing.
      ratio: Math.round((perSec(totals.ours) / perSec(totals.base)) * 100) / 100,
      queued: await queue.count(),
    }),
  );
} finally {
  await receiver.close();
  await classifier.close();
  await new Promise<void>((resolve) => bare.close(() => resolve()));
  await queue.close();
  let cursor = '0';
  do {
    const [nextCursor, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
    cursor = nextCursor;
    if (keys.length > 0) await redis.unlink(...keys);
  } while (cursor !== '0');
  await redis.quit();
}
