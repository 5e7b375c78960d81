import type { ParsedMail } from 'mailparser';
import nodemailer from 'nodemailer';
import { type Config, loadConfig } from '../../src/config.ts';
import { type RunningServer, startServer } from '../../src/server/public/start.ts';
import { createSubscriberStore, type SubscriberStore } from '../../src/subscribers/subscriber-store.ts';
import { verifyToken } from '../../src/tokens.ts';
import { createConfirmWorker } from '../../workers/confirm.worker.ts';
import { type TestRedis, testRedis } from './redis.ts';
import { serverStores } from './server-stores.ts';
import { type SmtpCapture, startSmtpCapture } from './smtp-capture.ts';

/** A real Gazette HTTP server on port 0 over a test Redis prefix, mailing into an SMTP capture. */
export interface TestServer {
  t: TestRedis;
  subscribers: SubscriberStore;
  config: Config;
  smtp: SmtpCapture;
  server: RunningServer;
  /** http://127.0.0.1:<port> */
  base: string;
  /**
   * The next confirmation mail and its link (on this server), once the pending confirmation it
   * names is recorded: the worker records it right after the relay took the mail.
   */
  nextConfirmation(timeoutMs?: number): Promise<{ mail: ParsedMail; link: string }>;
  /** Moves the store's clock (token expiry is checked against it). */
  advance(ms: number): void;
  close(): Promise<void>;
}

/** Starts everything, with `env` added to the test configuration; call `close` in afterAll. */
export async function startTestServer(
  label: string,
  env: Record<string, string> = {},
  log: (message: string, err?: unknown) => void = () => undefined,
): Promise<TestServer> {
  const t = await testRedis(label);
  const smtp = await startSmtpCapture();
  const config = loadConfig({
    GAZETTE_SECRET: 'test-secret-for-gazette-server-tests-0123456789',
    PUBLIC_URL: 'http://gazette.test',
    BOUNCE_DOMAIN: 'bounces.gazette.test',
    MAIL_FROM: 'Gazette <news@gazette.test>',
    REDIS_PREFIX: t.prefix,
    ...env,
  });
  let offset = 0;
  const store = createSubscriberStore({ redis: t.redis, prefix: t.prefix, clock: () => Date.now() + offset });
  const mailer = nodemailer.createTransport({
    host: '127.0.0.1',
    port: smtp.port,
    secure: false,
    ignoreTLS: true,
  });
  const server = await startServer(
    {
      confirmWorker: createConfirmWorker,
      redis: t.redis,
      subscribers: store,
      ...serverStores(t.redis, config),
      config,
      mailer,
      log,
    },
    0,
    '127.0.0.1',
  );
  const base = `http://127.0.0.1:${server.port}`;
  async function nextConfirmation(timeoutMs = 10_000) {
    const mail = await smtp.next(timeoutMs);
    const url = /http:\/\/gazette\.test\/confirm\/[a-z0-9._-]+/.exec(mail.text ?? '')?.[0] ?? '';
    const token = url.slice(url.lastIndexOf('/') + 1);
    const read = verifyToken(config.GAZETTE_SECRET, 'confirm', token, Date.now() + offset);
    const [id, nonce] = read.ok ? read.fields : [];
    const deadline = Date.now() + timeoutMs;
    while ((await store.pendingConfirmation(Number(id)))?.nonce !== nonce) {
      if (!read.ok || Date.now() > deadline) throw new Error(`no pending confirmation for ${url}`);
      await new Promise((r) => setTimeout(r, 20));
    }
    return { mail, link: `${base}${new URL(url).pathname}` };
  }
  return {
    t,
    subscribers: store,
    nextConfirmation,
    config,
    smtp,
    server,
    base,
    advance: (ms) => {
      offset += ms;
    },
    async close() {
      await server.close();
      mailer.close();
      await smtp.close();
      await t.cleanup();
    },
  };
}
