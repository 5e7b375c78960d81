/**
 * Desk API figures. Prints one JSON object per line:
 * - `desk-sign-in-hash`: ms per scrypt hash of a password (N=2^15, r=8, p=1), which is what a sign-in
 *   costs; it should sit between 50 and 250 ms on this machine.
 * - `desk-api-send-status`: GET /desk/api/sends/:id requests/s (host and origin guard, token lookup,
 *   role check, the status from Redis) under autocannon on loopback, against a bare Hono JSON route on
 *   the same server in the same run (baseline, ratio).
 * Usage: npx tsx scripts/bench-desk-api.ts [seconds per side, default 5]
 */
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import autocannon from 'autocannon';
import { Hono } from 'hono';
import { hashPassword, verifyPassword } from '../src/accounts/password.ts';
import { createGazette } from '../src/app.ts';
import { compileIssue } from '../src/compose/render.ts';
import { loadConfig } from '../src/config.ts';
import { mountDeskApi } from '../src/desk/api/desk-api.ts';
import { loadIssue } from '../src/issue/load.ts';
import { deleteKeys } from '../src/redis.ts';
import type { Mailer } from '../src/send/wire/transport.ts';
import { storeFinishedSend } from './finished-send.ts';

const seconds = Number(process.argv[2] ?? 5);
const prefix = `bench-desk-${process.pid}`;
const SEND = 'sbenchdesk';

// Sign-in cost: hashing and verifying cost the same (one scrypt each); take the median of several.
const times: number[] = [];
const stored = await hashPassword('bench password one');
for (let i = 0; i < 7; i++) {
  const started = performance.now();
  await verifyPassword('bench password two', stored);
  times.push(performance.now() - started);
}
times.sort((a, b) => a - b);
console.log(
  JSON.stringify({
    name: 'desk-sign-in-hash',
    msPerHash: Math.round((times[3] as number) * 10) / 10,
    minMs: Math.round((times[0] as number) * 10) / 10,
    maxMs: Math.round((times[6] as number) * 10) / 10,
    target: '50-250 ms',
  }),
);

const probe = serve({ fetch: () => new Response(''), port: 0, hostname: '127.0.0.1' });
await new Promise((r) => probe.once('listening', r));
const port = (probe.address() as AddressInfo).port;
await new Promise((r) => probe.close(r));
const origin = `http://127.0.0.1:${port}`;
const config = loadConfig({
  ...process.env,
  REDIS_PREFIX: prefix,
  GAZETTE_SECRET: 'bench-secret-0123456789abcdef0123456789',
  DESK_URL: origin,
});
const gazette = createGazette(config, { log: () => {} });
const noMail: Mailer = {
  target: 'nowhere',
  send: async () => {},
  close: async () => {},
} as unknown as Mailer;

try {
  const issue = await loadIssue('issues/201.json');
  const compiled = await compileIssue(issue, { publicUrl: config.PUBLIC_URL, tracking: true });
  await storeFinishedSend(
    gazette.sends,
    { id: SEND, issue: issue.number, subject: issue.subject, from: config.MAIL_FROM, expected: 1000 },
    compiled,
  );
  const { token } = await gazette.tokens.create({ name: 'bench', roles: ['writer'], by: 'bench' });
  const app = new Hono();
  app.get('/bare/:id', (c) => c.json({ id: c.req.param('id'), state: 'done' }));
  mountDeskApi(app, { ...gazette, queues: gazette.queues, mailer: noMail });
  const server = serve({ fetch: app.fetch, port, hostname: '127.0.0.1' });
  await new Promise((r) => server.once('listening', r));

  const cannon = async (path: string) => {
    const result = await autocannon({
      url: `${origin}${path}`,
      connections: 32,
      duration: seconds,
      headers: { authorization: `Bearer ${token}` },
    });
    return {
      rps: Math.round(result.requests.average),
      p99ms: result.latency.p99,
      non2xx: result.requests.total - result['2xx'],
    };
  };
  await cannon(`/desk/api/sends/${SEND}`); // warm-up
  const bare = await cannon(`/bare/${SEND}`);
  const desk = await cannon(`/desk/api/sends/${SEND}`);
  console.log(
    JSON.stringify({
      name: 'desk-api-send-status',
      rps: desk.rps,
      p99ms: desk.p99ms,
      non2xx: desk.non2xx,
      baseline: 'a bare Hono JSON route on the same server',
      baselineRps: bare.rps,
      ratio: Math.round((desk.rps / bare.rps) * 100) / 100,
    }),
  );
  await new Promise((r) => server.close(r));
} finally {
  await deleteKeys(gazette.redis, `${prefix}:*`);
  await gazette.close();
}
