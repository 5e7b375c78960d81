import nodemailer from 'nodemailer';
import { type Config, loadConfig } from '../../src/config.ts';
import { type RunningServer, startServer } from '../../src/server/start.ts';
import { createSubscriberStore, type SubscriberStore } from '../../src/subscribers/store.ts';
import { type TestRedis, testRedis } from './redis.ts';
import { type SmtpCapture, startSmtpCapture } from './smtp-capture.ts';

/** A real Gazette HTTP server on port 0 over a test Redis prefix, mailing into an SMTP capture. */
export interface TestServer {
  t: TestRedis;
  store: SubscriberStore;
  config: Config;
  smtp: SmtpCapture;
  server: RunningServer;
  /** http://127.0.0.1:<port> */
  base: string;
  /** Moves the store's clock (token expiry is checked against it). */
  advance(ms: number): void;
  close(): Promise<void>;
}

/** Starts everything; call `close` in afterAll. */
export async function startTestServer(label: string): Promise<TestServer> {
  const t = await testRedis(label);
  const smtp = await startSmtpCapture();
  const config = loadConfig({
    GAZETTE_SECRET: 'test-secret-for-gazette-server-tests-0123456789',
    PUBLIC_URL: 'http://gazette.test',
    BOUNCE_DOMAIN: 'bounces.gazette.test',
    MAIL_FROM: 'Gazette <news@gazette.test>',
    REDIS_PREFIX: t.prefix,
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
    { redis: t.redis, store, config, mailer, log: () => undefined },
    0,
    '127.0.0.1',
  );
  return {
    t,
    store,
    config,
    smtp,
    server,
    base: `http://127.0.0.1:${server.port}`,
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
