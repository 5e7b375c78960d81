/**
 * Click tracking figures. Prints one JSON object per line:
 * - `clicks-endpoint`: GET /c/:token requests/s (verify, link map, Lua record, 302) under autocannon on
 *   loopback, against a bare Hono 302 endpoint on @hono/node-server in the same run (baseline, ratio).
 *   Tokens vary over 20k readers and every link of issue No.201, so the dedupe rarely short-cuts.
 * - `clicks-signing`: µs per recipient to sign every link of a message, the per-message signer
 *   against signToken per link (baseline, ratio).
 * - `clicks-redis-memory`: bytes of Redis for 100k recorded clicks (MEMORY USAGE of the send's click
 *   keys once the 5 s dedupe markers have expired, and with them still present).
 * Usage: npx tsx scripts/bench-clicks.ts [seconds per side, default 5]
 */
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import autocannon from 'autocannon';
import { Hono } from 'hono';
import nodemailer from 'nodemailer';
import { createGazette } from '../src/app.ts';
import { bounceStoreOf } from '../src/bounces/policy.ts';
import { createClickStore } from '../src/clicks/click-store.ts';
import { createClickSigner } from '../src/clicks/click-token.ts';
import { compileIssue } from '../src/compose/render.ts';
import { loadConfig } from '../src/config.ts';
import { loadIssue } from '../src/issue/load.ts';
import { createRedis, deleteKeys, redisKey } from '../src/redis.ts';
import { createSendStore } from '../src/send/record/send-store.ts';
import { startServer } from '../src/server/public/start.ts';
import { createSubscriberStore } from '../src/subscribers/subscriber-store.ts';
import { createConfirmWorker } from '../workers/confirm.worker.ts';
import { storeFinishedSend } from './finished-send.ts';

const seconds = Number(process.argv[2] ?? 5);
const prefix = `bench-clicks-${process.pid}`;
const config = loadConfig({
  ...process.env,
  REDIS_PREFIX: prefix,
  GAZETTE_SECRET: 'bench-secret-0123456789abcdef0123456789',
});
const redis = createRedis(config.REDIS_URL);
const READERS = 20_000;
const SEND = 'sbenchclicks';

async function cannon(port: number, paths: string[]) {
  let i = 0;
  const result = await autocannon({
    url: `http://127.0.0.1:${port}`,
    connections: 32,
    duration: seconds,
    requests: [
      {
        method: 'GET',
        setupRequest: (req: Record<string, unknown>) => ({ ...req, path: paths[i++ % paths.length] }),
      },
    ],
  });
  const other = result['2xx'] + result['4xx'] + result['5xx'] + result.errors;
  return {
    rps: Math.round(result.requests.average),
    p99ms: result.latency.p99,
    redirects: result['3xx'],
    other,
  };
}

/** The server's stores and bounce policy, from the composition root. */
const serverStoresOf = () => {
  const { sends, clicks, policy } = createGazette(config, { redis });
  return { sends, clicks, policy };
};

try {
  const sends = createSendStore({ redis, prefix, bounces: bounceStoreOf(redis, config) });
  const issue = await loadIssue('issues/201.json');
  const compiled = await compileIssue(issue, { publicUrl: config.PUBLIC_URL, tracking: true });
  await storeFinishedSend(
    sends,
    { id: SEND, issue: issue.number, subject: issue.subject, from: config.MAIL_FROM, expected: READERS },
    compiled,
  );
  const linkIds = Object.keys(compiled.links);

  // Signing cost per recipient (every link of the message).
  const signer = createClickSigner(config.GAZETTE_SECRET, SEND, linkIds);
  const perRecipient = (fn: (sub: number) => void, n: number) => {
    const start = process.hrtime.bigint();
    for (let sub = 1; sub <= n; sub++) fn(sub);
    return Number(process.hrtime.bigint() - start) / 1000 / n;
  };
  // Baseline: the same per-link id strings without a signature, i.e. what tracking adds per reader.
  const unsigned = (sub: number) => {
    for (const linkId of linkIds) `${SEND}.${sub}.${linkId}.0`.charCodeAt(0);
  };
  perRecipient(signer, 5000);
  perRecipient(unsigned, 5000);
  let signed = 0;
  let plain = 0;
  for (let round = 0; round < 3; round++) {
    plain += perRecipient(unsigned, 10_000) / 3;
    signed += perRecipient(signer, 10_000) / 3;
  }
  console.log(
    JSON.stringify({
      name: 'clicks-signing',
      links: linkIds.length,
      usPerRecipient: Math.round(signed * 10) / 10,
      baseline: 'the same token fields, unsigned',
      baselineUsPerRecipient: Math.round(plain * 100) / 100,
      ratio: Math.round((signed / plain) * 10) / 10,
    }),
  );

  // Endpoint throughput: the real app against a bare 302 on the same framework.
  const paths: string[] = [];
  for (let sub = 1; paths.length < 50_000; sub = (sub % READERS) + 1) {
    const tokens = signer(sub);
    paths.push(`/c/${tokens[linkIds[paths.length % linkIds.length] as string]}`);
  }
  const subscribers = createSubscriberStore({ redis, prefix });
  const mailer = nodemailer.createTransport({ jsonTransport: true });
  const app = await startServer(
    {
      confirmWorker: createConfirmWorker,
      ...serverStoresOf(),
      redis,
      subscribers,
      config,
      mailer,
      log: () => {},
    },
    0,
    '127.0.0.1',
  );
  const bare = new Hono();
  bare.get('/c/:token', (c) => c.redirect('https://japanese.seoul.go.kr/', 302));
  const bareServer = await new Promise<ReturnType<typeof serve>>((ready) => {
    const s = serve({ fetch: bare.fetch, port: 0, hostname: '127.0.0.1' }, () => ready(s));
  });
  const barePort = (bareServer.address() as AddressInfo).port;
  await cannon(app.port, paths.slice(0, 2000)); // warm-up
  const base = await cannon(barePort, paths);
  const ours = await cannon(app.port, paths);
  console.log(
    JSON.stringify({
      name: 'clicks-endpoint',
      requestsPerSec: ours.rps,
      p99ms: ours.p99ms,
      redirects: ours.redirects,
      notRedirected: ours.other,
      baseline: 'bare Hono 302 on @hono/node-server',
      baselineRequestsPerSec: base.rps,
      ratio: Math.round((ours.rps / base.rps) * 100) / 100,
      connections: 32,
      seconds,
    }),
  );
  await app.close();
  await new Promise<void>((done) => bareServer.close(() => done()));

  // Redis memory for 100k recorded clicks on a fresh send: 20k readers, every link.
  const clicks = createClickStore({ redis, prefix });
  const MEM_SEND = 'sbenchmemory';
  const N = 100_000;
  for (let i = 0; i < N; i += 1000) {
    await Promise.all(
      Array.from({ length: 1000 }, (_, k) => {
        const n = i + k;
        return clicks.record(MEM_SEND, linkIds[n % linkIds.length] as string, (n * 7919) % READERS);
      }),
    );
  }
  const usage = async () => {
    let bytes = 0;
    let keys = 0;
    let cursor = '0';
    do {
      const [next, found] = await redis.scan(
        cursor,
        'MATCH',
        `${redisKey(prefix, 'clicks', MEM_SEND)}:*`,
        'COUNT',
        1000,
      );
      cursor = next;
      for (const key of found) {
        bytes += Number((await redis.memory('USAGE', key)) ?? 0);
        keys++;
      }
    } while (cursor !== '0');
    return { bytes, keys };
  };
  const withMarkers = await usage();
  await new Promise((r) => setTimeout(r, 6000));
  const settled = await usage();
  const summary = await clicks.forSend(MEM_SEND);
  console.log(
    JSON.stringify({
      name: 'clicks-redis-memory',
      clicks: N,
      counted: summary.links.reduce((s, l) => s + l.total, 0),
      readers: summary.uniqueReaders,
      links: linkIds.length,
      bytes: settled.bytes,
      keys: settled.keys,
      bytesPerClick: Math.round((settled.bytes / N) * 100) / 100,
      bytesWithDedupeMarkers: withMarkers.bytes,
    }),
  );
} finally {
  await deleteKeys(redis, `${prefix}:*`);
  await redis.quit();
}
