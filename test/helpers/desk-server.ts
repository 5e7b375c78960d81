import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { createGazette, type Gazette } from '../../src/app.ts';
import { mountDeskApi } from '../../src/desk/api/desk-api.ts';
import { freePort } from '../../src/free-port.ts';
import type { RemoteCheckOptions } from '../../src/issue/link-checks/remote-checks.ts';
import { deleteKeys } from '../../src/redis.ts';
import type { Role } from '../../src/roles.ts';
import { createMailer, type Mailer } from '../../src/send/wire/transport.ts';
import { health } from '../../src/server/health.ts';
import { startLinkServer } from './link-server.ts';
import { type TestRedis, testRedis } from './redis.ts';
import { testConfig } from './send-env.ts';
import { startTestSink, type TestSink } from './smtp-sink.ts';

/** The password every test account gets. */
export const PASSWORD = 'correct horse battery staple';

/** One test account per role, `<role>@desk.test`. */
export const ACCOUNTS: Record<Role, string> = {
  writer: 'writer@desk.test',
  editor: 'editor@desk.test',
  sender: 'sender@desk.test',
  admin: 'admin@desk.test',
};

/**
 * A real desk API on a real port over a test Redis prefix, mailing into an SMTP
 * sink, with the server's /health beside them (it shares their event loop, as in `gazette server`).
 */
export interface TestDesk {
  t: TestRedis;
  gazette: Gazette;
  sink: TestSink;
  mailer: Mailer;
  /** http://127.0.0.1:<port>, the desk's own origin. */
  origin: string;
  /** An HTTP server that answers 200 for every path but /gone (404): the links of test issues point here. */
  links: string;
  /**
   * Calls the API: JSON bodies, a session cookie or a token, the desk's Origin on state changes, and
   * `Accept-Language: en` unless `headers` names a language.
   */
  call(
    method: string,
    path: string,
    opts?: {
      body?: unknown;
      cookie?: string;
      token?: string;
      origin?: string | null;
      headers?: Record<string, string>;
    },
  ): Promise<Response>;
  /** Signs `email` in; the session cookie (`name=value`). */
  signIn(email: string, password?: string): Promise<string>;
  /** Forgets the failed sign-ins counted so far (every test request comes from 127.0.0.1). */
  forgetFailures(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Starts the desk with one account per role (see ACCOUNTS); `env` adds settings. CHECK_ALLOW_PRIVATE is
 * on unless `env` says otherwise: the link server the checks fetch listens on loopback. `deps` replaces
 * the link checks' options and the images folder (default: the repository's issues/images); `log`
 * hears the desk's log; `clock` is every store's.
 */
export async function startTestDesk(
  label: string,
  env: Record<string, string> = {},
  deps: {
    remote?: RemoteCheckOptions;
    imagesDir?: string;
    log?: (message: string) => void;
    /** Epoch ms for every store (tests move it). */
    clock?: () => number;
  } = {},
): Promise<TestDesk> {
  const t = await testRedis(label);
  const sink = await startTestSink();
  // A test that must know the origin first (an identity provider's redirect URI) names it in DESK_URL.
  const port = env.DESK_URL ? Number(new URL(env.DESK_URL).port) : await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const config = testConfig(t.prefix, {
    DESK_URL: origin,
    SMTP_URL: sink.url,
    CHECK_ALLOW_PRIVATE: 'on',
    ...env,
  });
  const gazette = createGazette(config, {
    redis: t.redis,
    log: deps.log ?? (() => undefined),
    ...(deps.clock ? { clock: deps.clock } : {}),
  });
  const mailer = await createMailer(config);
  const links = await startLinkServer();
  const app = new Hono();
  const deskDeps = {
    ...gazette,
    queues: gazette.queues,
    mailer,
    remote: deps.remote ?? { timeoutMs: 3000 },
    ...(deps.imagesDir ? { imagesDir: deps.imagesDir } : {}),
  };
  // As the server mounts it (src/server/public/public-app.ts).
  mountDeskApi(app, deskDeps);
  app.get('/health', health(t.redis));
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch: app.fetch, port, hostname: '127.0.0.1' }, () => resolve(s));
  });
  for (const [role, email] of Object.entries(ACCOUNTS)) {
    await gazette.users.add({ email, name: `The ${role}`, roles: [role as Role], password: PASSWORD });
  }
  const call: TestDesk['call'] = (method, path, opts = {}) => {
    // The desk answers in Japanese to a caller that names no language; these tests read English unless
    // they ask for another (`headers: {'accept-language': 'ja'}`).
    const headers: Record<string, string> = { 'accept-language': 'en', ...opts.headers };
    if (opts.body !== undefined) headers['content-type'] ??= 'application/json';
    if (opts.cookie) headers.cookie = opts.cookie;
    if (opts.token) headers.authorization = `Bearer ${opts.token}`;
    const from = opts.origin === undefined ? (method === 'GET' ? null : origin) : opts.origin;
    if (from) headers.origin = from;
    const body =
      opts.body === undefined
        ? undefined
        : typeof opts.body === 'string'
          ? opts.body
          : JSON.stringify(opts.body);
    return fetch(`${origin}/desk/api${path}`, { method, headers, body });
  };
  return {
    t,
    gazette,
    sink,
    mailer,
    origin,
    links: links.base,
    call,
    async signIn(email, password = PASSWORD) {
      const res = await call('POST', '/session', { body: { email, password } });
      if (res.status !== 200) throw new Error(`sign-in of ${email}: ${res.status} ${await res.text()}`);
      const cookie = res.headers.get('set-cookie') ?? '';
      return cookie.split(';')[0] ?? '';
    },
    forgetFailures: () => deleteKeys(t.redis, `${t.prefix}:limit:sign-in-*`),
    async close() {
      await new Promise<void>((r) => {
        server.close(() => r());
        if ('closeAllConnections' in server) server.closeAllConnections();
      });
      await new Promise<void>((r) => links.server.close(() => r()));
      await mailer.close();
      await gazette.close();
      await sink.close();
      await t.cleanup();
    },
  };
}

/**
 * Issue JSON with every link and remote image pointed at `links` (path kept, so `/gone…` stays 404
 * only where a test puts it) and with `number` set.
 */
// biome-ignore lint/suspicious/noExplicitAny: tests reach into the raw JSON
export function localLinks(json: Record<string, any>, links: string): Record<string, any> {
  const text = JSON.stringify(json).replace(
    /"(https?:\/\/[^"/]+)([^"]*)"/g,
    (_, _host, path) => `"${links}${path}"`,
  );
  return JSON.parse(text);
}
