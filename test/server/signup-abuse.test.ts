import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGazette } from '../../src/app.ts';
import { loadConfig } from '../../src/config.ts';
import { startServer } from '../../src/server/public/start.ts';
import { createConfirmQueue } from '../../src/subscribers/signup/confirm-queue.ts';
import { createConfirmWorker } from '../../workers/confirm.worker.ts';
import { startTestServer, type TestServer } from '../helpers/gazette-server.ts';
import { testRedis } from '../helpers/redis.ts';

/** Waits until the server's confirmation jobs are all done (so that every mail that will go out has). */
async function settled(s: TestServer): Promise<void> {
  const queue = createConfirmQueue({ redis: s.t.redis, prefix: s.t.prefix });
  const deadline = Date.now() + 20_000;
  try {
    for (;;) {
      const counts = await queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized');
      if (Object.values(counts).every((n) => n === 0)) break;
      if (Date.now() > deadline) throw new Error(`confirmation jobs still queued: ${JSON.stringify(counts)}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  } finally {
    await queue.close();
  }
  await new Promise((r) => setTimeout(r, 200)); // the capture parses what the sink received
}

function signUp(s: TestServer, body: Record<string, unknown>, headers: Record<string, string> = {}) {
  return fetch(`${s.base}/subscribe`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
}

const from = (ip: string) => ({ 'x-forwarded-for': ip });

describe('sign-up floods from one IP, behind no proxy', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer('abuse-ip');
  });
  afterAll(() => s.close());

  it('sends at most 5 mails for 30 addresses from one IP; the rest get a calm 429; a forged X-Forwarded-For changes nothing', async () => {
    const statuses: number[] = [];
    for (let i = 1; i <= 30; i++) {
      const res = await signUp(s, { email: `victim${i}@example.net` }, from(`198.51.100.${i}`));
      statuses.push(res.status);
      if (res.status === 429) {
        expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
        expect(await res.json()).toMatchObject({ error: 'too many sign-ups; try again later' });
      } else await res.body?.cancel();
    }
    expect(statuses.slice(0, 5)).toEqual([202, 202, 202, 202, 202]);
    expect(statuses.slice(5).every((st) => st === 429)).toBe(true);
    await settled(s);
    expect(s.smtp.messages).toHaveLength(5);
    // Nothing is stored for the refused ones.
    expect(await s.subscribers.findByEmail('victim6@example.net')).toBeNull();

    const page = await fetch(`${s.base}/subscribe`, {
      method: 'POST',
      body: new URLSearchParams({ email: 'late@example.net', locale: 'ja' }),
    });
    expect(page.status).toBe(429);
    expect(await page.text()).toContain('メールは送信していません。');
  });
});

describe('sign-up floods behind a trusted proxy', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer('abuse-proxy', { TRUST_PROXY: '127.0.0.1' });
  });
  afterAll(() => s.close());

  it("takes the client IP from X-Forwarded-For's right-most hop when TRUST_PROXY names the proxy", async () => {
    // The left part is whatever the client sent; the proxy appends the address it saw.
    for (let i = 1; i <= 6; i++) {
      const res = await signUp(s, { email: `hop${i}@example.org` }, from(`10.9.9.${i}, 203.0.113.7`));
      expect(res.status).toBe(i <= 5 ? 202 : 429);
      await res.body?.cancel();
    }
    const other = await signUp(s, { email: 'hop7@example.org' }, from('203.0.113.8'));
    expect(other.status).toBe(202);
    await settled(s);
    const hop1 = await s.subscribers.findByEmail('hop1@example.org');
    expect((await s.subscribers.pendingConfirmation(hop1?.id ?? 0))?.by).toBe('203.0.113.7');
    s.smtp.messages.splice(0);
  });

  it("sends at most 2 mails for 30 sign-ups of one mailbox's +tags and dotted forms", async () => {
    const statuses: number[] = [];
    for (let i = 1; i <= 30; i++) {
      const email = i % 2 ? `target+${i}@example.net` : `Target+${i}@Example.NET`;
      const res = await signUp(s, { email }, from(`192.0.2.${i}`));
      statuses.push(res.status);
      await res.body?.cancel();
    }
    expect(statuses.filter((st) => st === 202)).toHaveLength(2);
    for (let i = 1; i <= 3; i++) {
      const res = await signUp(s, { email: `t.a.r.g.e.t+${i}@gmail.com` }, from(`192.0.2.${100 + i}`));
      expect(res.status).toBe(i <= 2 ? 202 : 429);
      await res.body?.cancel();
    }
    await settled(s);
    const to = s.smtp.messages.map((m) => (m.to && 'text' in m.to ? m.to.text : ''));
    expect(to.filter((t) => /^target\+/i.test(t))).toHaveLength(2);
    expect(to.filter((t) => t.endsWith('@gmail.com'))).toHaveLength(2);
    s.smtp.messages.splice(0);
  });

  it('never mails a name typed into the form, nor the free text of a +tag', async () => {
    const name = 'WIN A PRIZE at http://evil.example/claim';
    const email = 'stranger+CLAIM-AT-evil-example@example.com';
    const res = await signUp(s, { email, name }, from('192.0.2.200'));
    expect(res.status).toBe(202);
    const { mail } = await s.nextConfirmation();
    expect(mail.to && 'text' in mail.to ? mail.to.text : '').toBe(email); // the envelope needs it
    const shown = `${mail.subject} ${mail.text} ${mail.html}`;
    for (const typed of ['evil.example', 'WIN A PRIZE', 'CLAIM-AT', 'evil-example']) {
      expect(shown).not.toContain(typed);
    }
    // The name is kept for the issues, which greet a confirmed reader by it.
    expect((await s.subscribers.findByEmail(email))?.name).toBe(name);
  });

  it('stores no consent wording from the request', async () => {
    const forged = 'I agree to receive offers from our partners.';
    const res = await signUp(s, { email: 'forged@example.com', wording: forged }, from('192.0.2.201'));
    expect(res.status).toBe(400);
    const someoneElses = await s.subscribers.saveWording('Imported from the old list');
    const res2 = await signUp(s, { email: 'forged@example.com', wording: someoneElses }, from('192.0.2.202'));
    expect([res2.status, await res2.json()]).toEqual([
      400,
      {
        error: 'invalid',
        fields: { wording: [`"${someoneElses}" is not a consent wording this server shows`] },
      },
    ]);
    expect(Object.values(await s.subscribers.wordings())).not.toContain(forged);
    expect(await s.subscribers.findByEmail('forged@example.com')).toBeNull();
  });

  it('answers as fast for a member as for a stranger (medians over 20 requests)', async () => {
    const members = Array.from({ length: 20 }, (_, i) => ({
      email: `member${i}@example.org`,
      name: '',
      locale: 'en' as const,
      status: 'active' as const,
      lists: ['default'],
    }));
    await s.subscribers.createMany(members);
    const times = { known: [] as number[], unknown: [] as number[] };
    for (let i = 0; i < 20; i++) {
      // Interleaved, so that both see the same load on this shared machine.
      for (const kind of ['known', 'unknown'] as const) {
        const email = kind === 'known' ? `member${i}@example.org` : `newcomer${i}@example.org`;
        const started = performance.now();
        const res = await signUp(s, { email }, from(`100.64.${kind === 'known' ? 1 : 2}.${i}`));
        await res.text();
        times[kind].push(performance.now() - started);
        expect(res.status).toBe(202);
      }
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
    const [known, unknown] = [median(times.known), median(times.unknown)];
    expect(Math.max(known, unknown) / Math.min(known, unknown)).toBeLessThan(2);
    await settled(s);
  });
});

describe('the hourly ceiling on confirmation mails', () => {
  let s: TestServer;
  const log: string[] = [];
  beforeAll(async () => {
    s = await startTestServer(
      'abuse-ceiling',
      { TRUST_PROXY: '127.0.0.1', CONFIRM_MAIL_HOURLY_LIMIT: '3' },
      (m) => log.push(m),
    );
  });
  afterAll(() => s.close());

  it('stops confirmation mails at the hourly ceiling and says so in the log', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 10; i++) {
      const res = await signUp(s, { email: `ceiling${i}@example.org` }, from(`100.65.0.${i}`));
      statuses.push(res.status);
      await res.body?.cancel();
      if (i % 2 === 1) await settled(s);
    }
    await settled(s);
    expect(log.filter((line) => line.startsWith('ALERT: 3 confirmation mails'))).toHaveLength(1);
    expect(s.smtp.messages).toHaveLength(3);
    expect(statuses.slice(0, 3)).toEqual([202, 202, 202]);
    expect(statuses.at(-1)).toBe(429);
    expect(await s.subscribers.findByEmail('ceiling9@example.org')).toBeNull();
  });
});

describe('a sign-up whose mail cannot be sent', () => {
  it('stores nothing about the address', async () => {
    const t = await testRedis('abuse-nomail');
    const config = loadConfig({
      GAZETTE_SECRET: 'test-secret-for-gazette-server-tests-0123456789',
      REDIS_PREFIX: t.prefix,
    });
    const { subscribers: store, sends, clicks, policy } = createGazette(config, { redis: t.redis });
    // Nothing listens on port 9: every attempt to send fails.
    const mailer = nodemailer.createTransport({ host: '127.0.0.1', port: 9, connectionTimeout: 500 });
    const errors: string[] = [];
    const server = await startServer(
      {
        confirmWorker: createConfirmWorker,
        redis: t.redis,
        subscribers: store,
        sends,
        clicks,
        policy,
        config,
        mailer,
        log: (m) => errors.push(m),
      },
      0,
    );
    try {
      const res = await fetch(`http://127.0.0.1:${server.port}/subscribe`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'nobody@example.com' }),
      });
      expect(res.status).toBe(202);
      const deadline = Date.now() + 10_000;
      while (!errors.some((e) => e.startsWith('confirmation mail failed')) && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 50));
      }
      expect(errors.some((e) => e.startsWith('confirmation mail failed (try 1)'))).toBe(true);
      expect(await store.findByEmail('nobody@example.com')).toBeNull();
    } finally {
      await server.close();
      mailer.close();
      await t.cleanup();
    }
  });
});
