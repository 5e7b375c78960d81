import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGazette } from '../../src/app.ts';
import { createBounceStore } from '../../src/bounces/bounce-store.ts';
import { startBounceIntake } from '../../src/bounces/intake.ts';
import type { RunningReceiver } from '../../src/bounces/sources/inbound-smtp.ts';
import { cancelSend, createSend } from '../../src/send/control/schedule.ts';
import { sendStatus } from '../../src/send/record/send-status.ts';
import { signToken } from '../../src/tokens.ts';
import { type RunningWorkers, startWorkers } from '../../workers/index.ts';
import { type BouncingRelay, bounceFromFixture, startBouncingRelay } from '../helpers/bounce-relay.ts';
import { type TestRedis, testRedis } from '../helpers/redis.ts';
import { addReaders, type SendEnv, sendEnv, testConfig, waitFor } from '../helpers/send-env.ts';

let t: TestRedis;
let env: SendEnv;
let intake: RunningReceiver;
let relay: BouncingRelay;
let workers: RunningWorkers;
const logs: string[] = [];
const log = (m: string) => logs.push(m);

beforeAll(async () => {
  t = await testRedis('bounce-e2e');
  // The relay needs the receiver's port and the workers need the relay's URL: start them in that order.
  const base = testConfig(t.prefix);
  env = sendEnv(t.redis, base);
  intake = await startBounceIntake(
    {
      config: base,
      redis: t.redis,
      subscribers: env.subscribers,
      bounces: createGazette(base, { redis: t.redis }).bounces,
      log,
    },
    0,
    '127.0.0.1',
  );
  relay = await startBouncingRelay(intake.port);
  env = sendEnv(t.redis, testConfig(t.prefix, { SMTP_URL: relay.url }));
  workers = await startWorkers(env.config, log);
});

afterAll(async () => {
  await workers?.close();
  await env?.queues.close();
  await relay?.close();
  await intake?.close();
  await t?.cleanup();
});

const bounces = () =>
  createBounceStore({ redis: t.redis, prefix: t.prefix, rawDays: 14, softDays: env.config.BOUNCE_SOFT_DAYS });

/** Sends No.201 to `list` (again, on purpose: these tests send one list several times). */
async function sendAndWait(list: string) {
  const send = await createSend(env, { issueFile: 'issues/201.json', list, resend: true });
  await waitFor(async () => (await env.sends.state(send.id)) === 'done', 30_000, `send ${send.id} to finish`);
  await relay.settled();
  return send.id;
}

/** Delivers a raw message to the receiver as an MTA would (MAIL FROM:<>). */
async function mailReceiver(to: string, raw: Buffer): Promise<string> {
  const transport = nodemailer.createTransport({ host: '127.0.0.1', port: intake.port, ignoreTLS: true });
  try {
    return (await transport.sendMail({ envelope: { from: '', to: [to] }, raw })).response;
  } catch (err) {
    return (err as { response?: string }).response ?? (err as Error).message;
  } finally {
    transport.close();
  }
}

/** Subscribers of a list of their own, for one forgery test. */
async function people(list: string, emails: string[]) {
  const rows = emails.map((email) => ({
    email,
    name: '',
    locale: 'en' as const,
    status: 'active' as const,
    lists: [list],
  }));
  return (await env.subscribers.createMany(rows)).map((r) => r.id);
}

/** True when none of these subscribers changed status or was suppressed. */
async function untouched(ids: number[], emails: string[]): Promise<boolean> {
  const rows = await env.subscribers.getMany(ids);
  const suppressed = await Promise.all(emails.map((e) => env.subscribers.isSuppressed(e)));
  return rows.every((r) => r?.status === 'active') && suppressed.every((s) => !s);
}

/** Waits until `count` unverified events name addresses ending in `domain`. */
async function unverified(domain: string, count: number) {
  await waitFor(
    async () =>
      (await bounces().listUnverified(0, 10_000)).filter((e) => e.email.endsWith(domain)).length >= count,
    15_000,
    `${count} unverified events for ${domain}`,
  );
  return (await bounces().listUnverified(0, 10_000)).filter((e) => e.email.endsWith(domain));
}

describe('bounces come home', () => {
  it('a DSN for a dead address suppresses the subscriber, and the next send skips them', async () => {
    const ids = await addReaders(env.subscribers, 'e2e-hard', 5, { domain: 'hard.example' });
    relay.bounceWith.set('reader2@hard.example', 'postfix-user-unknown.eml');
    const first = await sendAndWait('e2e-hard');
    const dead = ids[2] as number;
    await waitFor(
      async () => (await env.subscribers.get(dead))?.status === 'bounced',
      10_000,
      'the bounce to be applied',
    );

    expect(await env.subscribers.isSuppressed('reader2@hard.example')).toBe(true);
    expect((await env.subscribers.get(dead))?.left).toMatchObject({
      via: 'bounce',
      by: 'mail:user_unknown',
      sendId: first,
    });
    const [event] = await bounces().forAddress('reader2@hard.example');
    expect(event).toMatchObject({
      send: first,
      subscriber: dead,
      kind: 'hard',
      reason: 'user_unknown',
      status: '5.1.1',
      source: 'mail',
      verified: true,
      action: 'suppressed',
    });
    expect(event?.diagnostic).toContain('reader2@hard.example');
    expect((await bounces().raw(event?.raw as string))?.toString('latin1')).toContain(
      'Final-Recipient: rfc822; reader2@hard.example',
    );
    expect(await sendStatus(env, first)).toMatchObject({ delivered: 5, bounced: 1 });

    const second = await sendAndWait('e2e-hard');
    expect(await sendStatus(env, second)).toMatchObject({ delivered: 4, skipped: 1, bounced: 0 });
    expect(relay.delivered.filter((a) => a === 'reader2@hard.example')).toHaveLength(1);
    expect(relay.delivered.filter((a) => a === 'reader3@hard.example')).toHaveLength(2);
  });

  it('soft bounces are counted and suppress at the third within 30 days', async () => {
    const [id] = await addReaders(env.subscribers, 'e2e-soft', 1, { domain: 'soft.example' });
    relay.bounceWith.set('reader0@soft.example', 'postfix-mailbox-full-crlf.eml');
    for (const n of [1, 2]) {
      await sendAndWait('e2e-soft');
      await waitFor(
        async () => (await bounces().forAddress('reader0@soft.example')).length === n,
        10_000,
        `soft bounce ${n}`,
      );
      expect(await env.subscribers.get(id as number)).toMatchObject({ status: 'active' });
    }
    const third = await sendAndWait('e2e-soft');
    await waitFor(
      async () => (await env.subscribers.get(id as number))?.status === 'bounced',
      10_000,
      'the third soft bounce',
    );
    const events = await bounces().forAddress('reader0@soft.example');
    expect(events.map((e) => [e.reason, e.kind, e.action, e.soft])).toEqual([
      ['mailbox_full', 'soft', 'counted', 1],
      ['mailbox_full', 'soft', 'counted', 2],
      ['mailbox_full', 'soft', 'suppressed', 3],
    ]);
    expect(events[2]?.send).toBe(third);
    expect(await env.subscribers.isSuppressed('reader0@soft.example')).toBe(true);
  });

  it('an ARF complaint sent to the VERP address marks the reader complained', async () => {
    const [id] = await addReaders(env.subscribers, 'e2e-arf', 1, { domain: 'arf.example' });
    relay.bounceWith.set('reader0@arf.example', 'yahoo-complaint-arf.eml');
    await sendAndWait('e2e-arf');
    await waitFor(
      async () => (await env.subscribers.get(id as number))?.status === 'complained',
      10_000,
      'the complaint',
    );
    expect((await bounces().forAddress('reader0@arf.example'))[0]).toMatchObject({
      kind: 'complaint',
      verified: true,
    });
  });

  it('a DSN to a tampered VERP token is refused at RCPT and changes nobody', async () => {
    const [victim] = await people('forged', ['victim@forged.example']);
    const good = signToken(env.config.GAZETTE_SECRET, 'bounce', ['s1forged', String(victim)]);
    const tampered = `${good.slice(0, -1)}${good.endsWith('0') ? '1' : '0'}`;
    const verp = `bounces+${tampered}@${env.config.BOUNCE_DOMAIN}`;
    const answer = await mailReceiver(
      verp,
      bounceFromFixture('postfix-user-unknown.eml', { recipient: 'victim@forged.example', verp }),
    );
    expect(answer).toBe('550 5.7.1 this bounce address is not valid (forged)');
    const other = signToken('another-secret-0123456789abcdef01234567', 'bounce', [
      's1forged',
      String(victim),
    ]);
    expect(await mailReceiver(`bounces+${other}@${env.config.BOUNCE_DOMAIN}`, Buffer.from('x'))).toMatch(
      /^550 /,
    );
    expect(await untouched([victim as number], ['victim@forged.example'])).toBe(true);
  });

  it('a DSN with no token, naming a subscriber, is unverified and changes nobody', async () => {
    const [id] = await people('notoken', ['reader@notoken.example']);
    const verp = `bounces@${env.config.BOUNCE_DOMAIN}`;
    const raw = bounceFromFixture('postfix-user-unknown.eml', { recipient: 'reader@notoken.example', verp });
    expect(await mailReceiver(verp, raw)).toMatch(/^250 2\.0\.0 queued as /);
    const [event] = await unverified('@notoken.example', 1);
    expect(event).toMatchObject({
      email: 'reader@notoken.example',
      kind: 'hard',
      verified: false,
      send: null,
    });
    expect(await untouched([id as number], ['reader@notoken.example'])).toBe(true);
    expect(await bounces().forAddress('reader@notoken.example')).toEqual([]);
    expect(logs.some((l) => l.includes('its VERP token is missing; recorded as unverified'))).toBe(true);
  });

  it('a valid token with a different address in the report changes nobody', async () => {
    const [owner, named] = await people('swap', ['owner@swap.example', 'named@swap.example']);
    const token = signToken(env.config.GAZETTE_SECRET, 'bounce', ['s1swap', String(owner)]);
    const verp = `bounces+${token}@${env.config.BOUNCE_DOMAIN}`;
    await mailReceiver(
      verp,
      bounceFromFixture('postfix-user-unknown.eml', { recipient: 'named@swap.example', verp }),
    );
    const [event] = await unverified('@swap.example', 1);
    expect(event).toMatchObject({ email: 'named@swap.example', verified: false, send: null });
    expect(
      await untouched([owner as number, named as number], ['owner@swap.example', 'named@swap.example']),
    ).toBe(true);
  });

  it('a forged DSN listing 300 subscribers changes none of them', async () => {
    const emails = Array.from({ length: 300 }, (_, i) => `m${i}@mass.example`);
    const ids = await people('mass', emails);
    const groups = emails
      .map(
        (e) =>
          `Final-Recipient: rfc822; ${e}\r\nAction: failed\r\nStatus: 5.1.1\r\nDiagnostic-Code: smtp; 550 5.1.1 user unknown\r\n`,
      )
      .join('\r\n');
    const dsn = [
      'From: MAILER-DAEMON@mx.mass.example',
      `To: bounces@${env.config.BOUNCE_DOMAIN}`,
      'Subject: Undelivered Mail Returned to Sender',
      'Message-ID: <mass@mx.mass.example>',
      'MIME-Version: 1.0',
      'Content-Type: multipart/report; report-type=delivery-status; boundary="b"',
      '',
      '--b',
      'Content-Type: text/plain',
      '',
      'Your message could not be delivered.',
      '--b',
      'Content-Type: message/delivery-status',
      '',
      'Reporting-MTA: dns; mx.mass.example',
      '',
      groups,
      '--b--',
      '',
    ].join('\r\n');
    expect(await mailReceiver(`bounces@${env.config.BOUNCE_DOMAIN}`, Buffer.from(dsn))).toMatch(/^250 /);
    expect((await unverified('@mass.example', 50)).length).toBe(50);
    expect(await untouched(ids, emails)).toBe(true);
  });

  it('a forged ARF complaint without a token marks nobody complained', async () => {
    const [id] = await people('arf-forged', ['somi@arf-forged.example']);
    const raw = readFileSync(
      join(import.meta.dirname, '../fixtures/bounces/yahoo-complaint-arf.eml'),
      'latin1',
    ).replace(/somi\.kang@yahoo\.com/g, 'somi@arf-forged.example');
    expect(await mailReceiver(`bounces@${env.config.BOUNCE_DOMAIN}`, Buffer.from(raw, 'latin1'))).toMatch(
      /^250 /,
    );
    const [event] = await unverified('@arf-forged.example', 1);
    expect(event).toMatchObject({ kind: 'complaint', verified: false });
    expect(await untouched([id as number], ['somi@arf-forged.example'])).toBe(true);
  });

  it('an auto-reply to the VERP address records nothing', async () => {
    const [id] = await addReaders(env.subscribers, 'e2e-away', 1, { domain: 'away.example' });
    const verp = `bounces+${signToken(env.config.GAZETTE_SECRET, 'bounce', ['s1away', String(id)])}@${env.config.BOUNCE_DOMAIN}`;
    const raw = readFileSync(join(import.meta.dirname, '../fixtures/bounces/vacation-notice.eml'));
    expect(await mailReceiver(verp, raw)).toBe('250 2.0.0 not a bounce; dropped');
    expect(await env.subscribers.get(id as number)).toMatchObject({ status: 'active' });
  });
});

describe('auto-pause', () => {
  it('a send whose relay refuses over 5% of addresses as unknown pauses itself after 1,000 messages', async () => {
    await addReaders(env.subscribers, 'e2e-pause', 1200, { domain: 'pause.example' });
    relay.answer = (address) => {
      const n = Number(/^reader(\d+)@pause\.example$/.exec(address)?.[1] ?? -1);
      return n >= 0 && n % 16 === 5
        ? { code: 550, message: '5.1.1 <user> Recipient address rejected: User unknown' }
        : null;
    };
    const send = await createSend(env, { issueFile: 'issues/201.json', list: 'e2e-pause' });
    await waitFor(
      async () => (await env.sends.state(send.id)) === 'paused',
      30_000,
      'the send to pause itself',
    );
    relay.answer = () => null;
    const record = await env.sends.get(send.id);
    expect(record?.reason).toMatch(
      /^paused automatically: hard-bounce rate 6\.\d% \(\d+ of 1\d{3} messages\) passed 5\.0%$/,
    );
    expect(logs.some((l) => l.startsWith(`send ${send.id} paused itself: hard-bounce rate`))).toBe(true);
    const status = await sendStatus(env, send.id);
    expect(status?.delivered).toBeLessThan(1200 - 75);
    await cancelSend(env, send.id);
  });
});
