import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type BounceInput,
  type BouncePolicy,
  bounceStoreOf,
  createBouncePolicy,
} from '../../src/bounces/policy.ts';
import type { Config } from '../../src/config.ts';
import { bounceSendControl } from '../../src/send/control/bounce-control.ts';
import type { SendRecord, SendStore } from '../../src/send/record/send-store.ts';
import { createSendStore } from '../../src/send/record/send-store.ts';
import { createSubscriberStore, type SubscriberStore } from '../../src/subscribers/subscriber-store.ts';
import { sampleCompiled } from '../helpers/compiled.ts';
import { type TestRedis, testRedis } from '../helpers/redis.ts';
import { sendRecordFixture, testConfig } from '../helpers/send-env.ts';

const DAY = 86_400_000;
let t: TestRedis;
let config: Config;
let store: SubscriberStore;
let sends: SendStore;
let policy: BouncePolicy;
let now = Date.UTC(2026, 4, 1);
const logs: string[] = [];

beforeAll(async () => {
  t = await testRedis('bpolicy');
  config = testConfig(t.prefix);
  store = createSubscriberStore({ redis: t.redis, prefix: t.prefix, clock: () => now });
  sends = createSendStore({
    redis: t.redis,
    prefix: t.prefix,
    clock: () => now,
    bounces: bounceStoreOf(t.redis, config),
  });
  policy = createBouncePolicy({
    redis: t.redis,
    config,
    subscribers: store,
    sends: bounceSendControl(sends),
    log: (m) => logs.push(m),
    clock: () => now,
  });
});

afterAll(async () => {
  await t?.cleanup();
});

async function subscriber(email: string): Promise<number> {
  const [row] = await store.createMany([{ email, name: '', locale: 'en', status: 'active', lists: ['l'] }]);
  return row?.id as number;
}

function bounce(email: string, over: Partial<BounceInput> = {}): BounceInput {
  return {
    email,
    kind: 'hard',
    reason: 'user_unknown',
    status: '5.1.1',
    diagnostic: `550 5.1.1 <${email}>: Recipient address rejected: User unknown`,
    source: 'mail',
    verified: true,
    identity: `test:${email}:${Math.random()}`,
    ...over,
  };
}

async function newSend(id: string, delivered: number): Promise<SendRecord> {
  const record = sendRecordFixture({ id, at: now, createdAt: now, startedAt: now, expected: delivered });
  await sends.create(record, sampleCompiled());
  await sends.advance(id, delivered, delivered);
  const ids = Array.from({ length: delivered }, (_, i) => i + 1_000_000);
  await sends.settleMany(
    id,
    ids.map((subscriberId) => ({ subscriberId, outcome: 'delivered' as const })),
  );
  return record;
}

describe('the bounce policy on Redis', () => {
  it('suppresses a hard-bounced address at once, marks the subscriber bounced and keeps the event', async () => {
    const id = await subscriber('dead@policy.example');
    const out = await policy.record(bounce('dead@policy.example'));
    expect(out).toEqual({
      recorded: true,
      suppressed: true,
      action: 'suppressed: hard bounce',
      subscriberId: id,
      paused: null,
    });
    const s = await store.get(id);
    expect(s?.status).toBe('bounced');
    expect(s?.left).toMatchObject({ via: 'bounce', by: 'mail:user_unknown', sendId: '0' });
    expect(await store.suppression('DEAD@policy.example')).toMatchObject({ reason: 'bounced' });
    const [event] = await policy.bounces.forAddress('dead@policy.example');
    expect(event).toMatchObject({
      email: 'dead@policy.example',
      subscriber: id,
      send: null,
      kind: 'hard',
      reason: 'user_unknown',
      status: '5.1.1',
      source: 'mail',
      verified: true,
      action: 'suppressed',
    });
    expect(event?.diagnostic).toContain('User unknown');
  });

  it('records the same event once however often it is seen', async () => {
    await subscriber('twice@policy.example');
    const input = bounce('twice@policy.example', {
      kind: 'soft',
      reason: 'mailbox_full',
      identity: 'mail:<m1@x>:twice',
    });
    const first = await policy.record(input);
    const again = await policy.record(input);
    expect(first.recorded).toBe(true);
    expect(again).toMatchObject({ recorded: false, suppressed: false, action: 'already recorded' });
    expect(await policy.bounces.forAddress('twice@policy.example')).toHaveLength(1);
    expect(await policy.bounces.softCount('twice@policy.example', now)).toBe(1);
  });

  it('suppresses after the third soft bounce within 30 days, not before', async () => {
    const id = await subscriber('full@policy.example');
    const soft = () =>
      bounce('full@policy.example', { kind: 'soft', reason: 'mailbox_full', status: '4.2.2' });
    expect(await policy.record(soft())).toMatchObject({
      suppressed: false,
      action: 'counted: 1 soft bounce in 30 days (suppressed at 3)',
    });
    now += 10 * DAY;
    expect((await policy.record(soft())).action).toBe('counted: 2 soft bounces in 30 days (suppressed at 3)');
    expect(await store.isSuppressed('full@policy.example')).toBe(false);
    now += 10 * DAY;
    expect(await policy.record(soft())).toMatchObject({
      suppressed: true,
      action: 'suppressed: 3 soft bounces in 30 days',
    });
    expect(await store.get(id)).toMatchObject({ status: 'bounced', left: { by: 'mail:mailbox_full' } });
  });

  it('suppresses on the third monthly send in a row that soft-bounced; a clean delivery in between resets', async () => {
    const dead = await subscriber('gone@policy.example');
    const alive = await subscriber('back@policy.example');
    /** A monthly send that reached `ids`, a month after the last one. */
    const monthly = async (id: string, ids: number[]) => {
      now += 31 * DAY;
      const record = sendRecordFixture({ id, at: now, createdAt: now, startedAt: now, expected: ids.length });
      await sends.create(record, sampleCompiled());
      await sends.settleMany(
        id,
        ids.map((subscriberId) => ({ subscriberId, outcome: 'delivered' as const })),
      );
    };
    const soft = (email: string, sendId: string) =>
      bounce(email, { kind: 'soft', reason: 'mailbox_full', status: '4.2.2', sendId });

    await monthly('m1', [dead, alive]);
    await policy.record(soft('gone@policy.example', 'm1'));
    await policy.record(soft('back@policy.example', 'm1'));
    // A test send between them is not one of the list's sends and changes nothing.
    const test = sendRecordFixture({
      id: 'mtest',
      at: now,
      createdAt: now + 1,
      startedAt: now,
      testTo: 'x@y.z',
    });
    await sends.create(test, sampleCompiled());
    await sends.settleMany('mtest', [{ subscriberId: dead, outcome: 'delivered' }]);
    await monthly('m2', [dead, alive]);
    expect((await policy.record(soft('gone@policy.example', 'm2'))).action).toBe(
      'counted: 1 soft bounce in 30 days, soft bounces on 2 sends in a row (suppressed at 3 in 30 days or 3 sends in a row)',
    );
    // alive's m2 arrived: no bounce for it.
    await monthly('m3', [dead, alive]);
    const third = await policy.record(soft('gone@policy.example', 'm3'));
    expect(third).toMatchObject({ suppressed: true, action: 'suppressed: soft bounces on 3 sends in a row' });
    expect(await store.isSuppressed('gone@policy.example')).toBe(true);
    expect(await store.get(dead)).toMatchObject({
      status: 'bounced',
      left: { reason: 'soft bounces on 3 sends in a row', sendId: 'm3' },
    });
    const again = await policy.record(soft('back@policy.example', 'm3'));
    expect(again).toMatchObject({ suppressed: false });
    expect(again.action).toContain('soft bounces on 1 send in a row');
    expect(await store.isSuppressed('back@policy.example')).toBe(false);
    // The address's history keeps the event as the one that suppressed.
    expect((await policy.bounces.forAddress('gone@policy.example')).at(-1)).toMatchObject({
      action: 'suppressed',
    });
  });

  it('forgets soft bounces older than the window', async () => {
    await subscriber('slow@policy.example');
    const soft = () => bounce('slow@policy.example', { kind: 'soft', reason: 'mailbox_full' });
    await policy.record(soft());
    now += 20 * DAY;
    await policy.record(soft());
    now += 20 * DAY;
    // The first is 40 days old now: this is the second within 30 days.
    expect((await policy.record(soft())).action).toBe('counted: 2 soft bounces in 30 days (suppressed at 3)');
    expect(await store.isSuppressed('slow@policy.example')).toBe(false);
  });

  it('suppresses a complaining subscriber at once and marks them complained', async () => {
    const id = await subscriber('angry@policy.example');
    const out = await policy.record(
      bounce('angry@policy.example', { kind: 'complaint', reason: 'complaint', status: '', source: 'ses' }),
    );
    expect(out).toMatchObject({ suppressed: true, action: 'suppressed: complaint' });
    expect(await store.get(id)).toMatchObject({
      status: 'complained',
      left: { via: 'complaint', by: 'ses:complaint' },
    });
  });

  it('suppresses an address that is no subscriber without creating one', async () => {
    await policy.record(bounce('stranger@policy.example'));
    expect(await store.suppression('stranger@policy.example')).toMatchObject({ reason: 'bounced' });
    expect(await store.findByEmail('stranger@policy.example')).toBeNull();
  });

  it('counts a send’s bounces by kind and reason, and drops a send id that names no send', async () => {
    await newSend('scount', 10);
    await policy.record(
      bounce('c1@policy.example', { sendId: 'scount', code: '550', source: 'smtp', verified: true }),
    );
    await policy.record(bounce('c2@policy.example', { sendId: 'scount', kind: 'soft', reason: 'policy' }));
    await policy.record(
      bounce('c3@policy.example', { sendId: 'scount', kind: 'complaint', reason: 'complaint' }),
    );
    expect(await policy.bounces.sendStats('scount')).toEqual({
      hard: 1,
      soft: 1,
      complaint: 1,
      reasons: { user_unknown: 1, policy: 1, complaint: 1 },
    });
    expect((await sends.counts('scount')).bounced).toBe(2);
    const events = (await policy.bounces.list(0)).filter((e) => e.send === 'scount');
    expect(events.map((e) => [e.email, e.kind, e.code])).toEqual([
      ['c1@policy.example', 'hard', '550'],
      ['c2@policy.example', 'soft', ''],
      ['c3@policy.example', 'complaint', ''],
    ]);
    const out = await policy.record(bounce('c4@policy.example', { sendId: 'snosuchsend' }));
    expect(out.recorded).toBe(true);
    expect((await policy.bounces.forAddress('c4@policy.example'))[0]?.send).toBeNull();
    expect(await t.redis.exists(policy.bounces.keys.send('snosuchsend'))).toBe(0);
  });

  it('lists events since a time, oldest first', async () => {
    const since = Date.now() - 60_000;
    const events = await policy.bounces.list(since);
    expect(events.length).toBeGreaterThanOrEqual(10);
    expect(events.map((e) => e.id)).toEqual([...events.map((e) => e.id)].sort());
    expect(await policy.bounces.list(Date.now() + 60_000)).toEqual([]);
  });
});

describe('auto-pause', () => {
  it('pauses a running send past 5% hard bounces after 1,000 messages, says why, and not again once resumed', async () => {
    await newSend('shard', 1000);
    for (let i = 0; i < 50; i++) {
      const out = await policy.record(bounce(`h${i}@pause.example`, { sendId: 'shard' }));
      expect(out.paused).toBeNull();
    }
    expect(await sends.state('shard')).toBe('sending');
    const out = await policy.record(bounce('h50@pause.example', { sendId: 'shard' }));
    const why = 'hard-bounce rate 5.1% (51 of 1000 messages) passed 5.0%';
    expect(out.paused).toBe(why);
    expect(await sends.get('shard')).toMatchObject({
      state: 'paused',
      reason: `paused automatically: ${why}`,
    });
    expect(logs).toContain(`send shard paused itself: ${why}; \`gazette resume shard\` continues it`);

    await sends.transition('shard', 'sending', ['paused']);
    expect((await policy.record(bounce('h51@pause.example', { sendId: 'shard' }))).paused).toBeNull();
    expect(await sends.state('shard')).toBe('sending');
  });

  it('pauses past 0.3% complaints', async () => {
    await newSend('scomplaint', 1000);
    const complaint = (i: number) =>
      bounce(`c${i}@pause.example`, {
        sendId: 'scomplaint',
        kind: 'complaint',
        reason: 'complaint',
        status: '',
      });
    for (let i = 0; i < 3; i++) expect((await policy.record(complaint(i))).paused).toBeNull();
    expect((await policy.record(complaint(3))).paused).toBe(
      'complaint rate 0.40% (4 of 1000 messages) passed 0.30%',
    );
    expect(await sends.state('scomplaint')).toBe('paused');
  });

  it('judges nothing before the first 1,000 messages', async () => {
    await newSend('searly', 999);
    for (let i = 0; i < 100; i++) await policy.record(bounce(`e${i}@pause.example`, { sendId: 'searly' }));
    expect(await sends.state('searly')).toBe('sending');
  });
});

describe('unverified events (issue 9: only signed bounces act)', () => {
  it('records an unverified hard bounce for review and touches no subscriber, suppression or send', async () => {
    const id = await subscriber('victim@forged.example');
    await newSend('sforged', 1000);
    for (let i = 0; i < 60; i++) {
      const out = await policy.record(
        bounce(i === 0 ? 'victim@forged.example' : `v${i}@forged.example`, {
          verified: false,
          sendId: 'sforged',
        }),
      );
      expect(out).toMatchObject({ recorded: true, suppressed: false, action: 'unverified: acts on nobody' });
    }
    expect(await store.get(id)).toMatchObject({ status: 'active' });
    expect(await store.isSuppressed('victim@forged.example')).toBe(false);
    expect(await policy.bounces.forAddress('victim@forged.example')).toEqual([]);
    expect(await policy.bounces.sendStats('sforged')).toMatchObject({ hard: 0, soft: 0, complaint: 0 });
    expect(await sends.state('sforged')).toBe('sending');
    const review = (await policy.bounces.listUnverified(0)).filter((e) =>
      e.email.endsWith('@forged.example'),
    );
    expect(review).toHaveLength(60);
    expect(review[0]).toMatchObject({
      email: 'victim@forged.example',
      verified: false,
      send: null,
      action: 'unverified',
    });
  });

  it('an unverified complaint changes nobody either', async () => {
    const id = await subscriber('calm@forged.example');
    await policy.record(
      bounce('calm@forged.example', { verified: false, kind: 'complaint', reason: 'complaint' }),
    );
    expect(await store.get(id)).toMatchObject({ status: 'active' });
    expect(await store.isSuppressed('calm@forged.example')).toBe(false);
  });

  it('a forged copy never pre-empts the genuine event, which still suppresses', async () => {
    const id = await subscriber('real@forged.example');
    await policy.record(bounce('real@forged.example', { verified: false, identity: 'u:same' }));
    expect(await policy.record(bounce('real@forged.example', { identity: 'v:same' }))).toMatchObject({
      suppressed: true,
    });
    expect(await store.get(id)).toMatchObject({ status: 'bounced' });
  });

  it('an admin applies an unverified event by hand, once, and the act is audited', async () => {
    const id = await subscriber('later@forged.example');
    await policy.record(bounce('later@forged.example', { verified: false }));
    const [event] = (await policy.bounces.listUnverified(0)).filter(
      (e) => e.email === 'later@forged.example',
    );
    const out = await policy.applyUnverified(event?.id as string, 'admin@desk');
    expect(out).toMatchObject({ recorded: true, suppressed: true, subscriberId: id });
    expect(await store.get(id)).toMatchObject({ status: 'bounced' });
    expect(await policy.applyUnverified(event?.id as string, 'admin@desk')).toMatchObject({
      recorded: false,
    });
    const audit = await t.redis.xrange(policy.bounces.keys.audit, '-', '+');
    expect(audit).toHaveLength(1);
    expect(audit[0]?.[1]).toEqual(expect.arrayContaining(['admin@desk', 'bounce.apply', event?.id]));
    expect(await policy.applyUnverified('1-0', 'admin@desk')).toBeNull();
    expect(await policy.applyUnverified('not an id', 'admin@desk')).toBeNull();
  });
});
