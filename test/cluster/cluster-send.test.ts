import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGazette, type Gazette } from '../../src/app.ts';
import { clickToken } from '../../src/clicks/click-token.ts';
import type { Config } from '../../src/config.ts';
import { freePort } from '../../src/free-port.ts';
import { scanTargets } from '../../src/redis.ts';
import { createSend } from '../../src/send/control/schedule.ts';
import { SETTLE_MAX_PENDING } from '../../src/send/record/settle-buffer.ts';
import { createMailer, type Mailer } from '../../src/send/wire/transport.ts';
import { type RunningServer, startServer } from '../../src/server/public/start.ts';
import { unsubscribeToken } from '../../src/subscribers/unsubscribe.ts';
import { createConfirmWorker } from '../../workers/confirm.worker.ts';
import { runCli } from '../helpers/cli.ts';
import {
  hasRedisServer,
  startTestCluster,
  type TestCluster,
  untilClusterOk,
} from '../helpers/redis-cluster.ts';
import { testConfig, waitFor } from '../helpers/send-env.ts';
import { startTestSink, type TestSink } from '../helpers/smtp-sink.ts';
import { startWorkerProcess, workerChildren, workerEnv } from '../helpers/worker-process.ts';

const READERS = 3000;
const PASSWORD = 'correct horse battery staple';
const DEAD = 'reader5@cluster.example';

if (!hasRedisServer)
  console.warn('Redis Cluster tests skipped: redis-server and redis-cli are not installed here.');

describe.skipIf(!hasRedisServer)('Gazette on a Redis Cluster of 3 masters and 3 replicas (issue 23)', () => {
  let cluster: TestCluster;
  let sink: TestSink;
  let config: Config;
  let gazette: Gazette;
  let mailer: Mailer;
  let server: RunningServer;
  let dir: string;
  let base: string;

  beforeAll(async () => {
    cluster = await startTestCluster();
    // One reader's mailbox is gone: the relay refuses it, and the bounce is recorded on the cluster.
    sink = await startTestSink(
      (address) => (address === DEAD ? { code: 550, message: '5.1.1 <address>: user unknown' } : null),
      { keepRaw: false },
    );
    dir = await mkdtemp(join(tmpdir(), 'gazette-cluster-test-'));
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    config = testConfig('gzcluster', {
      REDIS_CLUSTER_NODES: cluster.seeds,
      SMTP_URL: sink.url,
      PUBLIC_URL: base,
      DESK_URL: base,
      SEND_BATCH_SIZE: '100',
    });
    gazette = createGazette(config, { log: () => undefined });
    mailer = await createMailer(config);
    server = await startServer(
      {
        confirmWorker: createConfirmWorker,
        ...gazette,
        mailer,
        desk: { ...gazette, queues: gazette.queues, mailer, remote: { timeoutMs: 3000 } },
        log: () => undefined,
      },
      port,
      '127.0.0.1',
    );
    await Promise.all([startWorkerProcess(config), startWorkerProcess(config)]);
  }, 120_000);

  afterAll(async () => {
    for (const child of workerChildren) if (child.exitCode === null) child.kill('SIGKILL');
    await server?.close();
    await mailer?.close();
    await gazette?.close();
    await sink?.close();
    await cluster?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  }, 60_000);

  it('imports with the CLI, sends to every reader once with two workers, keeps an unsubscribe and a click, and the desk reads the report', async () => {
    const csv = [
      'email,name,locale',
      ...Array.from({ length: READERS }, (_, i) => `reader${i}@cluster.example,Reader ${i},ja`),
    ];
    const file = join(dir, 'readers.csv');
    await writeFile(file, `${csv.join('\n')}\n`);
    const started = Date.now();
    const imported = await runCli(
      ['subscribers', 'import', file, '--list', 'cluster'],
      workerEnv(config) as Record<string, string>,
    );
    const importMs = Date.now() - started;
    expect(imported.stderr).not.toMatch(/MOVED|CROSSSLOT/);
    expect(imported.code).toBe(0);
    expect(await gazette.subscribers.listSize('cluster')).toBe(READERS);
    expect(await gazette.subscribers.countActive('cluster')).toBe(READERS);

    const send = await createSend(gazette, { issueFile: 'issues/201.json', list: 'cluster' });
    await waitFor(async () => (await gazette.sends.state(send.id)) === 'done', 240_000, 'the send to finish');
    const recipients = sink.messages.map((m) => m.to[0]);
    expect(recipients).toHaveLength(READERS - 1);
    expect(new Set(recipients).size).toBe(READERS - 1);
    expect(recipients).not.toContain(DEAD);
    expect(await gazette.sends.counts(send.id)).toMatchObject({
      total: READERS,
      delivered: READERS - 1,
      bounced: 1,
    });
    const [dead] = await gazette.subscribers.findIds([DEAD]);
    expect((await gazette.subscribers.get(dead as number))?.status).toBe('bounced');
    expect(await gazette.subscribers.isSuppressed(DEAD)).toBe(true);
    expect((await gazette.policy.bounces.forAddress(DEAD)).map((e) => e.kind)).toEqual(['hard']);

    // A reader unsubscribes with the one-click link of the mail; another clicks a link.
    const [leaver, clicker] = (await gazette.subscribers.findIds([
      'reader7@cluster.example',
      'reader8@cluster.example',
    ])) as number[];
    const left = await fetch(
      `${base}/u/${unsubscribeToken(config.GAZETTE_SECRET, leaver as number, send.id)}`,
      {
        method: 'POST',
        body: new URLSearchParams({ 'List-Unsubscribe': 'One-Click' }),
        redirect: 'manual',
      },
    );
    expect(left.status).toBeLessThan(400);
    expect((await gazette.subscribers.get(leaver as number))?.status).toBe('unsubscribed');
    expect(await gazette.subscribers.isSuppressed('reader7@cluster.example')).toBe(true);
    expect(await gazette.subscribers.unsubscribesForSend(send.id)).toBe(1);
    const linkId = Object.keys((await gazette.sends.compiled(send.id)).links)[0] as string;
    const token = clickToken(config.GAZETTE_SECRET, {
      sendId: send.id,
      subscriberId: clicker as number,
      linkId,
      renderedAt: Date.now() - 5 * 60_000,
    });
    const click = await fetch(`${base}/c/${token}`, { redirect: 'manual' });
    expect(click.status).toBe(302);
    const clicks = await gazette.clicks.forSend(send.id);
    expect(clicks.uniqueReaders).toBe(1);
    expect(clicks.links.find((l) => l.linkId === linkId)).toMatchObject({ total: 1, unique: 1 });

    // The desk: a sender signs in and reads the send's report.
    await gazette.users.add({
      email: 'sender@desk.test',
      name: 'Sender',
      roles: ['sender'],
      password: PASSWORD,
    });
    const session = await fetch(`${base}/desk/api/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: base, 'accept-language': 'en' },
      body: JSON.stringify({ email: 'sender@desk.test', password: PASSWORD }),
    });
    expect(session.status).toBe(200);
    const cookie = (session.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    const report = await fetch(`${base}/desk/api/sends/${send.id}/report`, { headers: { cookie } });
    expect(report.status).toBe(200);
    const body = JSON.stringify(await report.json());
    expect(body).toContain(`"delivered":${READERS - 1}`);

    // The spread: keys and bytes per master.
    const masters = scanTargets(gazette.redis);
    expect(masters).toHaveLength(3);
    const spread = await Promise.all(
      masters.map(async (m) => {
        const keys = await m.dbsize();
        const stats = (await m.call('MEMORY', 'STATS')) as (string | number)[];
        const bytes = Number(stats[stats.indexOf('dataset.bytes') + 1]);
        return { node: `${m.options.host}:${m.options.port}`, keys, bytes };
      }),
    );
    const totalKeys = spread.reduce((n, s) => n + s.keys, 0);
    console.log(
      `cluster: ${READERS} readers imported in ${importMs} ms; spread over masters: ${spread
        .map(
          (s) =>
            `${s.node} ${s.keys} keys (${Math.round((100 * s.keys) / totalKeys)}%), ${(s.bytes / 1024).toFixed(0)} KiB`,
        )
        .join('; ')}`,
    );
    // Subscriber records and index buckets are untagged: every master holds a fair share.
    for (const s of spread) expect(s.keys).toBeGreaterThan(totalKeys / 6);
  }, 400_000);

  it('loses nobody when the master holding the most keys is SIGKILLed a third of the way: its replica takes over, the send reaches done', async () => {
    const rows = Array.from({ length: READERS }, (_, i) => ({
      email: `reader${i}@failover.example`,
      name: `Reader ${i}`,
      locale: 'ja' as const,
      status: 'active' as const,
      lists: ['failover'],
    }));
    for (let i = 0; i < rows.length; i += 500) await gazette.subscribers.createMany(rows.slice(i, i + 500));
    const mine = () => sink.messages.filter((m) => m.to[0]?.endsWith('@failover.example'));
    const send = await createSend(gazette, { issueFile: 'issues/201.json', list: 'failover' });
    await waitFor(() => mine().length >= READERS / 3, 120_000, 'a third delivered');

    const masters = scanTargets(gazette.redis);
    const sizes = await Promise.all(masters.map((m) => m.dbsize()));
    const biggest = masters[sizes.indexOf(Math.max(...sizes))];
    const port = Number(biggest?.options.port);
    const killedAt = mine().length;
    await cluster.kill(port);
    const others = cluster.nodes.filter((n) => n.port !== port).map((n) => n.port);
    await untilClusterOk(others, 6, 60_000);

    // While the replica takes over, a reader unsubscribes and another clicks, as often as it takes
    // for the server to take it (a reader who sees an error page tries again).
    const [leaver, clicker] = (await gazette.subscribers.findIds([
      'reader11@failover.example',
      'reader12@failover.example',
    ])) as number[];
    const untilAccepted = async (request: () => Promise<Response>, ok: (status: number) => boolean) => {
      await waitFor(
        async () => ok((await request().catch(() => null))?.status ?? 0),
        60_000,
        'the server to take it',
      );
    };
    await untilAccepted(
      () =>
        fetch(`${base}/u/${unsubscribeToken(config.GAZETTE_SECRET, leaver as number, send.id)}`, {
          method: 'POST',
          body: new URLSearchParams({ 'List-Unsubscribe': 'One-Click' }),
          redirect: 'manual',
        }),
      (status) => status > 0 && status < 400,
    );
    const linkId = Object.keys((await gazette.sends.compiled(send.id)).links)[0] as string;
    const token = clickToken(config.GAZETTE_SECRET, {
      sendId: send.id,
      subscriberId: clicker as number,
      linkId,
      renderedAt: Date.now() - 5 * 60_000,
    });
    await untilAccepted(
      () => fetch(`${base}/c/${token}`, { redirect: 'manual' }),
      (status) => status === 302,
    );

    await waitFor(
      async () => (await gazette.sends.state(send.id).catch(() => null)) === 'done',
      240_000,
      'the send to finish',
    );
    const recipients = mine().map((m) => m.to[0]);
    const unique = new Set(recipients);
    const duplicates = recipients.length - unique.size;
    // In flight at the kill: each worker's batches (2 at once) with their unrecorded outcomes.
    const inFlightBound = 2 * 2 * (Number(config.SEND_BATCH_SIZE) + 2 * SETTLE_MAX_PENDING);
    console.log(
      `cluster failover: killed master :${port} (${Math.max(...sizes)} keys) at ${killedAt} delivered; ${recipients.length} messages, ${unique.size} readers, ${duplicates} duplicates (bound ${inFlightBound})`,
    );
    expect(unique.size).toBe(READERS);
    expect(await gazette.sends.counts(send.id)).toMatchObject({
      total: READERS,
      delivered: READERS,
      failed: 0,
    });
    expect(duplicates).toBeLessThanOrEqual(inFlightBound);
    expect((await gazette.subscribers.get(leaver as number))?.status).toBe('unsubscribed');
    expect((await gazette.clicks.forSend(send.id)).uniqueReaders).toBe(1);
  }, 400_000);
});
