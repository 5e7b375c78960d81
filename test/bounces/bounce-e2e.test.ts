import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBounceStore } from '../../src/bounces/bounce-store.ts';
import { startBounceIntake } from '../../src/bounces/intake.ts';
import type { RunningReceiver } from '../../src/bounces/receiver.ts';
import { cancelSend, createSend } from '../../src/send/schedule.ts';
import { sendStatus } from '../../src/send/status.ts';
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
    { config: base, redis: t.redis, store: env.audience, log },
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
async function mailReceiver(to: string, raw: Buffer): Promise<void> {
  const transport = nodemailer.createTransport({ host: '127.0.0.1', port: intake.port, ignoreTLS: true });
  try {
    await transport.sendMail({ envelope: { from: '', to: [to] }, raw });
  } finally {
    transport.close();
  }
}

describe('bounces come home', () => {
  it('a DSN for a dead address suppresses the subscriber, and the next send skips them', async () => {
    const ids = await addReaders(env.audience, 'e2e-hard', 5, { domain: 'hard.example' });
    relay.bounceWith.set('reader2@hard.example', 'postfix-user-unknown.eml');
    const first = await sendAndWait('e2e-hard');
    const dead = ids[2] as number;
    await waitFor(
      async () => (await env.audience.get(dead))?.status === 'bounced',
      10_000,
      'the bounce to be applied',
    );

    expect(await env.audience.isSuppressed('reader2@hard.example')).toBe(true);
    expect((await env.audience.get(dead))?.left).toMatchObject({
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
      action: 'suppressed: hard bounce',
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
    const [id] = await addReaders(env.audience, 'e2e-soft', 1, { domain: 'soft.example' });
    relay.bounceWith.set('reader0@soft.example', 'postfix-mailbox-full-crlf.eml');
    for (const n of [1, 2]) {
      await sendAndWait('e2e-soft');
      await waitFor(
        async () => (await bounces().forAddress('reader0@soft.example')).length === n,
        10_000,
        `soft bounce ${n}`,
      );
      expect(await env.audience.get(id as number)).toMatchObject({ status: 'active' });
    }
    const third = await sendAndWait('e2e-soft');
    await waitFor(
      async () => (await env.audience.get(id as number))?.status === 'bounced',
      10_000,
      'the third soft bounce',
    );
    const events = await bounces().forAddress('reader0@soft.example');
    expect(events.map((e) => [e.reason, e.kind, e.action])).toEqual([
      ['mailbox_full', 'soft', 'counted: 1 soft bounce in 30 days (suppressed at 3)'],
      ['mailbox_full', 'soft', 'counted: 2 soft bounces in 30 days (suppressed at 3)'],
      ['mailbox_full', 'soft', 'suppressed: 3 soft bounces in 30 days'],
    ]);
    expect(events[2]?.send).toBe(third);
    expect(await env.audience.isSuppressed('reader0@soft.example')).toBe(true);
  });

  it('an ARF complaint sent to the VERP address marks the reader complained', async () => {
    const [id] = await addReaders(env.audience, 'e2e-arf', 1, { domain: 'arf.example' });
    relay.bounceWith.set('reader0@arf.example', 'yahoo-complaint-arf.eml');
    await sendAndWait('e2e-arf');
    await waitFor(
      async () => (await env.audience.get(id as number))?.status === 'complained',
      10_000,
      'the complaint',
    );
    expect((await bounces().forAddress('reader0@arf.example'))[0]).toMatchObject({
      kind: 'complaint',
      verified: true,
    });
  });

  it('a bounce with a forged VERP token touches only the address it names', async () => {
    const [victim, named] = await env.audience.createMany(
      ['victim@forged.example', 'named@forged.example'].map((email) => ({
        email,
        name: '',
        locale: 'en' as const,
        status: 'active' as const,
        lists: ['forged'],
      })),
    );
    const forged = signToken('another-secret-0123456789abcdef01234567', 'bounce', [
      's1forged',
      String(victim?.id),
    ]);
    const verp = `bounces+${forged}@${env.config.BOUNCE_DOMAIN}`;
    await mailReceiver(
      verp,
      bounceFromFixture('postfix-user-unknown.eml', { recipient: 'named@forged.example', verp }),
    );
    await waitFor(
      async () => (await env.audience.get(named?.id as number))?.status === 'bounced',
      10_000,
      'the forged bounce',
    );

    expect(await env.audience.get(victim?.id as number)).toMatchObject({ status: 'active' });
    expect(await env.audience.isSuppressed('victim@forged.example')).toBe(false);
    expect((await bounces().forAddress('named@forged.example'))[0]).toMatchObject({
      send: null,
      verified: false,
    });
    expect(
      logs.some((l) =>
        /VERP token is forged; classified by the recipients it names only \(named@forged\.example\)/.test(l),
      ),
    ).toBe(true);
  });

  it('a bounce with no token at all still suppresses only the address it names', async () => {
    const verp = `bounces@${env.config.BOUNCE_DOMAIN}`;
    await mailReceiver(
      verp,
      bounceFromFixture('postfix-user-unknown.eml', { recipient: 'nobody@missing.example', verp }),
    );
    await waitFor(
      () => env.audience.isSuppressed('nobody@missing.example'),
      10_000,
      'the bounce without a token',
    );
    expect(await env.audience.findByEmail('nobody@missing.example')).toBeNull();
    expect(logs.some((l) => l.includes('its VERP token is missing'))).toBe(true);
  });

  it('an auto-reply to the VERP address records nothing', async () => {
    const [id] = await addReaders(env.audience, 'e2e-away', 1, { domain: 'away.example' });
    const verp = `bounces+${signToken(env.config.GAZETTE_SECRET, 'bounce', ['s1away', String(id)])}@${env.config.BOUNCE_DOMAIN}`;
    const raw = readFileSync(join(import.meta.dirname, '../fixtures/bounces/vacation-notice.eml'));
    const before = logs.length;
    await mailReceiver(verp, raw);
    await waitFor(
      () => logs.slice(before).some((l) => l.includes('not a bounce')),
      10_000,
      'the auto-reply to be read',
    );
    expect(await env.audience.get(id as number)).toMatchObject({ status: 'active' });
  });
});

describe('auto-pause', () => {
  it('a send whose relay refuses over 5% of addresses as unknown pauses itself after 1,000 messages', async () => {
    await addReaders(env.audience, 'e2e-pause', 1200, { domain: 'pause.example' });
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
