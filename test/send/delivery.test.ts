import { simpleParser } from 'mailparser';
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBounceStore } from '../../src/bounces/bounce-store.ts';
import { createSend } from '../../src/send/control/schedule.ts';
import { sendStatus } from '../../src/send/record/send-status.ts';
import { type RunningServer, startServer } from '../../src/server/public/start.ts';
import { createSubscriberStore } from '../../src/subscribers/subscriber-store.ts';
import { verifyToken } from '../../src/tokens.ts';
import { createConfirmWorker } from '../../workers/confirm.worker.ts';
import { type RunningWorkers, startWorkers } from '../../workers/index.ts';
import { type TestRedis, testRedis } from '../helpers/redis.ts';
import { addReaders, type SendEnv, sendEnv, testConfig, waitFor } from '../helpers/send-env.ts';
import { serverStores } from '../helpers/server-stores.ts';
import { startTestSink, type TestSink } from '../helpers/smtp-sink.ts';

let t: TestRedis;
let sink: TestSink;
let env: SendEnv;
let workers: RunningWorkers;
let server: RunningServer;
const logs: string[] = [];

beforeAll(async () => {
  t = await testRedis('delivery');
  sink = await startTestSink();
  const base = testConfig(t.prefix);
  // The real HTTP server, so that the one-click URL in a received message can be followed.
  const store = createSubscriberStore({ redis: t.redis, prefix: t.prefix });
  const mailer = nodemailer.createTransport({ jsonTransport: true });
  server = await startServer(
    {
      confirmWorker: createConfirmWorker,
      redis: t.redis,
      subscribers: store,
      ...serverStores(t.redis, base),
      config: base,
      mailer,
      log: () => {},
    },
    0,
    '127.0.0.1',
  );
  const publicUrl = `http://127.0.0.1:${server.port}`;
  env = sendEnv(t.redis, testConfig(t.prefix, { SMTP_URL: sink.url, PUBLIC_URL: publicUrl }));
  workers = await startWorkers(env.config, (m) => logs.push(m));
});

afterAll(async () => {
  await workers?.close();
  await server?.close();
  await env?.queues.close();
  await sink?.close();
  await t?.cleanup();
});

async function sendAndWait(list: string, ms = 60_000) {
  const send = await createSend(env, { issueFile: 'issues/201.json', list });
  await waitFor(async () => (await env.sends.state(send.id)) === 'done', ms, `send ${send.id} to finish`);
  return (await sendStatus(env, send.id)) as NonNullable<Awaited<ReturnType<typeof sendStatus>>>;
}

function receivedBy(list: string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const m of sink.messages)
    for (const to of m.to) if (list.includes(to)) counts.set(to, (counts.get(to) ?? 0) + 1);
  return counts;
}

describe('delivery through the whole pipeline', () => {
  it('delivers to each of 2,000 active subscribers exactly once, skipping suppressed and unsubscribed ones', async () => {
    const ids = await addReaders(env.subscribers, 'readers', 2000, { domain: 'big.example' });
    const emails = ids.map((_, i) => `reader${i}@big.example`);
    for (let i = 0; i < 2000; i += 100)
      await env.subscribers.suppress(emails[i] as string, 'imported suppression');
    for (let i = 50; i < 2000; i += 100)
      await env.subscribers.unsubscribe(ids[i] as number, { via: 'cli', by: 'test' });
    const status = await sendAndWait('readers');

    const inactive = new Set(emails.filter((_, i) => i % 100 === 0 || i % 100 === 50));
    const counts = receivedBy(emails);
    expect(counts.size).toBe(2000 - inactive.size);
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
    for (const email of inactive) expect(counts.has(email)).toBe(false);
    expect(status).toMatchObject({
      state: 'done',
      total: 2000,
      delivered: 1960,
      skipped: 40,
      failed: 0,
      queued: 0,
    });

    const one = sink.messages.find((m) => m.to[0] === 'reader7@big.example');
    const parsed = await simpleParser(one?.raw as Buffer);
    expect(parsed.text).toContain('Reader 7');
    expect(parsed.html).toContain('Reader 7');
    expect(parsed.subject).toContain('No.201');
    const header = (key: string) =>
      parsed.headerLines.find((l) => l.key === key)?.line.replace(/\r\n\s/g, ' ');
    const unsubscribe =
      /^List-Unsubscribe: <(http:\/\/127\.0\.0\.1:\d+\/u\/([^>]+))>, <mailto:unsubscribe\+([^@]+)@bounce\.gazette\.test>$/.exec(
        header('list-unsubscribe') ?? '',
      );
    expect(unsubscribe?.[2]).toBe(unsubscribe?.[3]);
    expect(verifyToken(env.config.GAZETTE_SECRET, 'unsubscribe', unsubscribe?.[2] as string)).toEqual({
      ok: true,
      fields: [String(ids[7]), status.id],
    });
    expect(parsed.text).toContain(unsubscribe?.[1]);
    // RFC 8058 one-click: a POST to the URL from the received message unsubscribes at once.
    const click = await fetch(unsubscribe?.[1] as string, {
      method: 'POST',
      body: new URLSearchParams({ 'List-Unsubscribe': 'One-Click' }),
      redirect: 'manual',
    });
    expect(click.status).toBe(200);
    expect((await env.subscribers.get(ids[7] as number))?.status).toBe('unsubscribed');
    expect(await env.subscribers.isSuppressed('reader7@big.example')).toBe(true);
    expect((await sendStatus(env, status.id))?.unsubscribed).toBe(1);
    expect(header('list-unsubscribe-post')).toBe('List-Unsubscribe-Post: List-Unsubscribe=One-Click');
    expect(parsed.messageId).toBe(`<${status.id}.${ids[7]}@gazette.test>`);
    const verp = /^bounces\+(.+)@bounce\.gazette\.test$/.exec(one?.from ?? '');
    expect(verifyToken(env.config.GAZETTE_SECRET, 'bounce', verp?.[1] as string)).toEqual({
      ok: true,
      fields: [status.id, String(ids[7])],
    });
  }, 90_000);

  it('keeps subscriber names with CR/LF or markup out of the headers and escaped in the HTML', async () => {
    const names = ['Eve\r\nBcc: victim@evil.example', '<b>Bold</b> & "Co"', 'Mallory\n\nInjected body'];
    const rows = names.map((name, i) => ({
      email: `named${i}@names.example`,
      name,
      locale: 'ja' as const,
      status: 'active' as const,
      lists: ['names'],
    }));
    await env.subscribers.createMany(rows);
    await sendAndWait('names');
    const got = sink.messages.filter((m) => m.to[0]?.endsWith('@names.example'));
    expect(got).toHaveLength(3);
    for (const m of got) {
      const raw = m.raw.toString('latin1');
      const head = raw.slice(0, raw.indexOf('\r\n\r\n'));
      expect(head).not.toMatch(/^(Bcc|Injected)/im);
      expect(m.to).toHaveLength(1);
      const parsed = await simpleParser(m.raw);
      expect(parsed.headers.has('bcc')).toBe(false);
      expect(parsed.html).not.toContain('<b>Bold</b>');
    }
    const bold = await simpleParser(got.find((m) => m.to[0] === 'named1@names.example')?.raw as Buffer);
    expect(bold.html).toContain('&lt;b&gt;Bold&lt;/b&gt; &amp; &quot;Co&quot;');
    expect(bold.to).toMatchObject({ value: [{ name: '<b>Bold</b> & "Co"' }] });
    const eve = await simpleParser(got.find((m) => m.to[0] === 'named0@names.example')?.raw as Buffer);
    expect(eve.to).toMatchObject({
      value: [{ name: 'Eve Bcc: victim@evil.example', address: 'named0@names.example' }],
    });
  });

  it('retries the fifth of messages the relay defers (451) until each arrives once', async () => {
    const ids = await addReaders(env.subscribers, 'deferred', 400, { domain: 'slow.example' });
    const emails = ids.map((_, i) => `reader${i}@slow.example`);
    const deferredOnce = new Set<string>();
    sink.answer = (address) => {
      if (!address.endsWith('@slow.example') || Number(/\d+/.exec(address)?.[0]) % 5 !== 0) return null;
      if (deferredOnce.has(address)) return null;
      deferredOnce.add(address);
      return { code: 451, message: '4.7.1 greylisted, try again later' };
    };
    const status = await sendAndWait('deferred');
    sink.answer = () => null;
    expect(deferredOnce.size).toBe(80);
    const counts = receivedBy(emails);
    expect(counts.size).toBe(400);
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
    expect(status).toMatchObject({ delivered: 400, failed: 0, bounced: 0 });
  });

  it('counts 550 5.1.1 recipients failed, suppresses them, never retries them, and delivers the rest', async () => {
    const ids = await addReaders(env.subscribers, 'dead', 300, { domain: 'dead.example' });
    const emails = ids.map((_, i) => `reader${i}@dead.example`);
    const dead = new Set(emails.filter((_, i) => i % 10 === 3));
    // A few 451s in the same batches make those batches retry: the dead ones must not be tried again.
    const deferred = new Set<string>();
    sink.answer = (address) => {
      if (dead.has(address)) return { code: 550, message: '5.1.1 user unknown' };
      if (address.endsWith('@dead.example') && address.endsWith('7@dead.example') && !deferred.has(address)) {
        deferred.add(address);
        return { code: 451, message: '4.3.0 try later' };
      }
      return null;
    };
    const status = await sendAndWait('dead');
    sink.answer = () => null;
    expect(status).toMatchObject({ delivered: 270, failed: 30, bounced: 30, skipped: 0 });
    for (const email of dead) {
      expect(sink.attempts.filter((a) => a === email)).toHaveLength(1);
      expect(await env.subscribers.isSuppressed(email)).toBe(true);
    }
    expect(await env.subscribers.isSuppressed('reader4@dead.example')).toBe(false);
    const store = createBounceStore({ redis: t.redis, prefix: t.prefix, rawDays: 14, softDays: 30 });
    const bounces = (await store.list(0)).filter((e) => e.send === status.id);
    expect(bounces).toHaveLength(30);
    expect(bounces[0]).toMatchObject({ code: '550', kind: 'hard', reason: 'user_unknown', status: '5.1.1' });
    const member = await env.subscribers.get(ids[3] as number);
    expect(member?.status).toBe('bounced');
  });
});
