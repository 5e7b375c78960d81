import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { idsFromBitmap } from '../../src/subscribers/list-bitmap.ts';
import { SubscriberInput } from '../../src/subscribers/subscriber-schema.ts';
import { createSubscriberStore, type SubscriberStore } from '../../src/subscribers/subscriber-store.ts';
import { type UpsertOptions, upsertSubscribers } from '../../src/subscribers/upsert.ts';
import { type TestRedis, testRedis } from '../helpers/redis.ts';

let t: TestRedis;
let store: SubscriberStore;
let opts: UpsertOptions;

const rows = (n: number, from: number, lists: (i: number) => string[]) =>
  Array.from({ length: n }, (_, i) =>
    SubscriberInput.parse({
      email: `reader${from + i}@example.jp`,
      name: `読者 ${from + i}`,
      lists: lists(from + i),
    }),
  );

beforeAll(async () => {
  t = await testRedis('store');
  let now = Date.parse('2025-01-01T00:00:00Z');
  store = createSubscriberStore({ redis: t.redis, prefix: t.prefix, clock: () => (now += 1000) });
  const wordingId = await store.saveWording('I agree to receive the newsletter.');
  opts = { locale: 'ja', resubscribe: false, consent: { source: 'import', by: 'cli:test', wordingId } };
  // 2,500 subscribers on "all"; every 997th is also on "sparse".
  for (let from = 1; from <= 2500; from += 500) {
    await upsertSubscribers(
      store,
      rows(500, from, (i) => (i % 997 === 0 ? ['all', 'sparse'] : ['all'])),
      opts,
    );
  }
});
afterAll(() => t.cleanup());

describe('pageList', () => {
  it('walks a list in id order with a cursor, each id once', async () => {
    const seen: number[] = [];
    const sizes: number[] = [];
    for (let after = 0; ; ) {
      const page = await store.pageList('all', after, 1000);
      if (page.length === 0) break;
      sizes.push(page.length);
      seen.push(...page);
      after = page.at(-1) as number;
    }
    expect(sizes).toEqual([1000, 1000, 500]);
    expect(seen).toEqual(Array.from({ length: 2500 }, (_, i) => i + 1));
    expect(await store.listSize('all')).toBe(2500);
  });

  it('skips the gaps of a sparse list', async () => {
    expect(await store.pageList('sparse', 0, 10)).toEqual([997, 1994]);
    expect(await store.pageList('sparse', 997, 1)).toEqual([1994]);
    expect(await store.pageList('sparse', 1994, 10)).toEqual([]);
    expect(await store.pageList('no-such-list', 0, 10)).toEqual([]);
  });

  it('reads ids out of bitmap bytes in Redis bit order', () => {
    expect(idsFromBitmap(Uint8Array.from([0b10000001, 0, 0b01000000]), 2, 0, 10)).toEqual([16, 23, 33]);
    expect(idsFromBitmap(Uint8Array.from([0b10000001, 0, 0b01000000]), 2, 16, 1)).toEqual([23]);
  });
});

describe('getMany', () => {
  it('returns subscribers in the order asked, null for unknown ids, in one round trip', async () => {
    const [a, none, b] = await store.getMany([42, 999_999, 7]);
    expect(a).toMatchObject({
      id: 42,
      email: 'reader42@example.jp',
      name: '読者 42',
      locale: 'ja',
      status: 'active',
    });
    expect(a?.consent).toMatchObject({ source: 'import', by: 'cli:test' });
    expect(none).toBeNull();
    expect(b?.email).toBe('reader7@example.jp');
    expect(await store.listsOf([997, 998])).toEqual([['all', 'sparse'], ['all']]);
  });

  it('keeps each record a small listpack hash', async () => {
    expect(await t.redis.object('ENCODING', store.keys.record(42))).toBe('listpack');
    expect(await t.redis.object('ENCODING', store.keys.emailBucket('reader42@example.jp'))).toBe('listpack');
  });
});

describe('suppression and leaving', () => {
  it('checks many addresses with one command, case-insensitively', async () => {
    await store.suppress('Blocked@Example.jp', 'manual');
    expect(
      await store.areSuppressed(['blocked@example.jp', 'reader1@example.jp', 'BLOCKED@example.jp']),
    ).toEqual([true, false, true]);
    expect(await store.suppression('blocked@example.jp')).toMatchObject({ reason: 'manual' });
  });

  it('records who unsubscribed and when, suppresses, counts the send once, and is harmless to repeat', async () => {
    expect(await store.unsubscribe(10, { via: 'one-click', by: '203.0.113.9', sendId: 'send-1' })).toBe(
      'changed',
    );
    const once = await store.get(10);
    expect(await store.unsubscribe(10, { via: 'one-click', by: '198.51.100.1', sendId: 'send-1' })).toBe(
      'already',
    );
    const twice = await store.get(10);
    expect(once?.status).toBe('unsubscribed');
    expect(once?.left).toMatchObject({ via: 'one-click', by: '203.0.113.9', sendId: 'send-1' });
    expect(twice).toEqual(once);
    expect(await store.isSuppressed('reader10@example.jp')).toBe(true);
    expect(await store.unsubscribesForSend('send-1')).toBe(1);
    expect(await store.unsubscribe(999_999, { via: 'cli', by: 'x' })).toBe('unknown');
  });

  it('marks bounces and complaints; a complaint outranks a bounce, a bounce does not undo an unsubscribe', async () => {
    expect(await store.markBounced(11, { via: 'bounce', by: '550 5.1.1' })).toBe('changed');
    expect(await store.markComplained(11, { via: 'complaint', by: 'fbl' })).toBe('changed');
    expect(await store.markBounced(10, { via: 'bounce', by: '550 5.1.1' })).toBe('already');
    const [complained, unsubscribed] = await store.getMany([11, 10]);
    expect([complained?.status, unsubscribed?.status]).toEqual(['complained', 'unsubscribed']);
    expect(await store.areSuppressed(['reader11@example.jp'])).toEqual([true]);
  });
});
