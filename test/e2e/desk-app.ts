import { cp, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve } from '@hono/node-server';
import nodemailer from 'nodemailer';
import { createGazette, type Gazette } from '../../src/app.ts';
import { freePort } from '../../src/free-port.ts';
import { Issue } from '../../src/issue/schema.ts';
import type { Role } from '../../src/roles.ts';
import { createMailer } from '../../src/send/wire/transport.ts';
import { createApp } from '../../src/server/public/public-app.ts';
import { startSignups } from '../../src/server/public/start-signups.ts';
import { createConfirmWorker } from '../../workers/confirm.worker.ts';
import { startWorkers } from '../../workers/index.ts';
import { startLinkServer } from '../helpers/link-server.ts';
import { type TestRedis, testRedis } from '../helpers/redis.ts';
import { addReaders, testConfig } from '../helpers/send-env.ts';
import { startTestSink, type TestSink } from '../helpers/smtp-sink.ts';

/** The password of every account the desk tests make. */
export const PASSWORD = 'a long test password for the desk';

/** Everything `gazette server` and `gazette worker` run, on one port, with issue 203 and three readers. */
export interface DeskApp {
  origin: string;
  gazette: Gazette;
  sink: TestSink;
  imagesDir: string;
  close(): Promise<void>;
}

/**
 * Starts the public server with the desk (web app, API and the web app's routes), the workers and an
 * SMTP sink, with `accounts` (email → roles), issue 203 from issues/ (links pointed at a local
 * server), its images in a scratch folder, and `readers` subscribers on the list "members"; `env`
 * overrides settings (e.g. SEND_RATE for a send slow enough to watch); `withIssue: false` starts a
 * desk that holds no issue at all, as a fresh install does; `host: 'localhost'` serves it as
 * http://localhost:<port> (PUBLIC_URL too), which WebAuthn needs: its RP ID cannot be an IP address.
 */
export async function startDeskApp(
  accounts: Record<string, Role[]>,
  readers = 3,
  env: Record<string, string> = {},
  { withIssue = true, host = '127.0.0.1' }: { withIssue?: boolean; host?: '127.0.0.1' | 'localhost' } = {},
): Promise<DeskApp> {
  const t: TestRedis = await testRedis('e2e-desk');
  const sink = await startTestSink();
  // A test that must know the origin first (an identity provider's redirect URI) names it in DESK_URL.
  const origin = env.DESK_URL ?? `http://${host}:${await freePort()}`;
  const links = await startLinkServer();
  // The checks read an image path such as images/203/cac.jpg against the folder holding images/.
  const scratch = await mkdtemp(join(tmpdir(), 'gazette-e2e-'));
  const imagesDir = join(scratch, 'images');
  await cp('issues/images/203', join(imagesDir, '203'), { recursive: true });
  const config = testConfig(t.prefix, {
    DESK_URL: origin,
    PUBLIC_URL: origin,
    SMTP_URL: sink.url,
    SEND_BATCH_SIZE: '2',
    // The link server the checks fetch listens on loopback.
    CHECK_ALLOW_PRIVATE: 'on',
    ...env,
  });
  const gazette = createGazette(config, { redis: t.redis, log: () => undefined });
  const mailer = await createMailer(config);
  const deskDeps = { ...gazette, queues: gazette.queues, mailer, imagesDir, remote: { timeoutMs: 3000 } };
  const serverDeps = {
    redis: t.redis,
    subscribers: gazette.subscribers,
    sends: gazette.sends,
    clicks: gazette.clicks,
    policy: gazette.policy,
    desk: deskDeps,
    config,
    mailer: nodemailer.createTransport({ jsonTransport: true }),
    imagesDir,
    log: () => undefined,
  };
  const signups = startSignups(serverDeps, createConfirmWorker);
  const app = createApp({ ...serverDeps, signups });
  const port = Number(new URL(origin).port);
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch: app.fetch, port, hostname: '127.0.0.1' }, () => resolve(s));
  });
  const workers = await startWorkers(config, () => undefined);

  for (const [email, roles] of Object.entries(accounts)) {
    await gazette.users.add({ email, name: email.split('@')[0] ?? email, roles, password: PASSWORD });
  }
  const raw = (await readFile('issues/203.json', 'utf8')).replace(
    /"https?:\/\/[^"/]+([^"]*)"/g,
    `"${links.base}$1"`,
  );
  const json = JSON.parse(raw);
  if (withIssue) await gazette.issues.create(Issue.parse(json), json, 'import');
  await addReaders(gazette.subscribers, 'members', readers);

  return {
    origin,
    gazette,
    sink,
    imagesDir,
    async close() {
      await workers.close();
      await new Promise<void>((r) => {
        server.close(() => r());
        if ('closeAllConnections' in server) server.closeAllConnections();
      });
      await new Promise<void>((r) => links.server.close(() => r()));
      await signups.close();
      await mailer.close();
      await gazette.close();
      await sink.close();
      await rm(scratch, { recursive: true, force: true });
      await t.cleanup();
    },
  };
}
