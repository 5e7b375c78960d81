import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClickStore, MACHINE_TIMING } from '../../src/clicks/click-store.ts';
import { rankArticles } from '../../src/clicks/ranking.ts';
import { type TestRedis, testRedis } from '../helpers/redis.ts';

let t: TestRedis;
let now = Date.UTC(2021, 11, 1, 0, 0);
beforeAll(async () => {
  t = await testRedis('clicks');
});
afterAll(() => t.cleanup());

describe('click store', () => {
  it('counts totals and exact unique readers per link and per send, once per reader within seconds', async () => {
    const store = createClickStore({ redis: t.redis, prefix: t.prefix, clock: () => now });
    expect(await store.record('s1', 'lead', 7)).toBe('person');
    expect(await store.record('s1', 'lead', 7)).toBe('repeat'); // a double click
    await store.record('s1', 'lead', 8);
    now += 10_000; // read the lead, then clicked on
    await store.record('s1', 'metaverse', 7);
    now += 60_000; // long past the dedupe window, in the next minute
    expect(await store.record('s1', 'lead', 7)).toBe('person');

    const clicks = await store.forSend('s1');
    expect(clicks.links.sort((a, b) => a.linkId.localeCompare(b.linkId))).toEqual([
      { linkId: 'lead', total: 3, unique: 2, machine: 0 },
      { linkId: 'metaverse', total: 1, unique: 1, machine: 0 },
    ]);
    expect(clicks.uniqueReaders).toBe(2);
    expect(clicks.timeline.map(([, n]) => n)).toEqual([3, 1]);
    // What the timing rules look back on is short-lived.
    expect(await t.redis.ttl(`${t.prefix}:clicks:s1:reader:8`)).toBeGreaterThan(0);
    expect(await t.redis.ttl(`${t.prefix}:clicks:s1:reader:8`)).toBeLessThanOrEqual(
      MACHINE_TIMING.recentSeconds,
    );
  });

  it('gives an empty result for a send nobody clicked', async () => {
    const store = createClickStore({ redis: t.redis, prefix: t.prefix });
    expect(await store.forSend('nobody')).toEqual({ links: [], uniqueReaders: 0, timeline: [] });
  });
});

describe('machine clicks', () => {
  const store = () => createClickStore({ redis: t.redis, prefix: t.prefix, clock: () => now });
  const figures = async (send: string) => {
    const c = await store().forSend(send);
    const links = Object.fromEntries(c.links.map((l) => [l.linkId, [l.total, l.unique, l.machine]]));
    return {
      links,
      readers: c.uniqueReaders,
      perMinute: c.timeline.reduce((s, [, n]) => s + n, 0),
    };
  };

  it('a trap hit turns the reader clicks around it into machine clicks, after the fact too', async () => {
    const sent = now;
    expect(await store().record('m1', 'a1', 3, { renderedAt: sent })).toBe('person');
    now += 500;
    expect(await store().record('m1', '_trap', 3, { kind: 'trap', renderedAt: sent })).toBe('machine');
    now += 500;
    expect(await store().record('m1', 'a2', 3, { renderedAt: sent })).toBe('machine');
    // Another reader of the same send is not touched.
    expect(await store().record('m1', 'a1', 4, { renderedAt: sent })).toBe('person');
    expect(await figures('m1')).toEqual({
      links: { a1: [1, 1, 1], a2: [0, 0, 1] },
      readers: 1,
      perMinute: 1,
    });
    // The same reader, well after the trap window and 20 s after delivery: a person.
    now += MACHINE_TIMING.trapMs + 1;
    expect(await store().record('m1', 'a2', 3, { renderedAt: sent })).toBe('person');
    expect((await figures('m1')).links.a2).toEqual([1, 1, 1]);
    expect((await figures('m1')).readers).toBe(2);
  });

  it('a burst over different links is a machine, both clicks; a reader keeps the links they clicked as a person', async () => {
    // reader 5 clicked a1 as a person long ago (a day, from an older token without a render time).
    expect(await store().record('m2', 'a1', 5)).toBe('person');
    now += 24 * 3600_000;
    const fresh = now;
    expect(await store().record('m2', 'a1', 5, { renderedAt: fresh })).toBe('person');
    now += 300;
    expect(await store().record('m2', 'a3', 5, { renderedAt: fresh })).toBe('machine');
    now += 300;
    expect(await store().record('m2', 'a4', 5, { renderedAt: fresh })).toBe('machine');
    // The a1 of a moment ago moved to machine; the day-old one keeps reader 5 on a1 and in the send.
    expect(await figures('m2')).toEqual({
      links: { a1: [1, 1, 1], a3: [0, 0, 1], a4: [0, 0, 1] },
      readers: 1,
      perMinute: 1,
    });
    // A reader whose only clicks were a burst leaves no bit behind.
    now += 60_000;
    const delivered = now;
    expect(await store().record('m2', 'a1', 6, { renderedAt: delivered })).toBe('person');
    now += 100;
    expect(await store().record('m2', 'a2', 6, { renderedAt: delivered })).toBe('machine');
    const after = await figures('m2');
    expect(after.readers).toBe(1);
    expect(after.links.a2).toEqual([0, 0, 1]);
  });

  it('clicks 20 s or more after delivery are not a burst; HEAD-like machine clicks never count', async () => {
    const sent = now;
    now += MACHINE_TIMING.personAfterMs;
    expect(await store().record('m3', 'a1', 9, { renderedAt: sent })).toBe('person');
    now += 500;
    expect(await store().record('m3', 'a2', 9, { renderedAt: sent })).toBe('person');
    expect(await store().record('m3', 'a3', 9, { kind: 'machine', renderedAt: sent })).toBe('machine');
    // A machine request does not take the dedupe slot of a person's click on the same link.
    expect(await store().record('m3', 'a3', 9, { renderedAt: sent - 60_000 })).toBe('person');
    expect(await figures('m3')).toEqual({
      links: { a1: [1, 1, 0], a2: [1, 1, 0], a3: [1, 1, 1] },
      readers: 1,
      perMinute: 3,
    });
  });
});

describe('rankArticles', () => {
  const articles = ['a', 'b', 'c', 'd', 'e', 'f', 'g'].map((id) => ({
    id,
    title: id.toUpperCase(),
    url: `https://x/${id}`,
  }));

  it('orders by unique readers, then clicks, then place in the issue, and keeps five articles only', () => {
    const ranked = rankArticles(articles, [
      { linkId: 'c', total: 10, unique: 4 },
      { linkId: 'e', total: 10, unique: 6 },
      { linkId: 'g', total: 3, unique: 3 },
      { linkId: 'b', total: 3, unique: 3 },
      { linkId: '_footer-1', total: 50, unique: 40 },
      { linkId: 'a', total: 1, unique: 1 },
      { linkId: 'f', total: 2, unique: 2 },
    ]);
    expect(ranked.map((a) => a.id)).toEqual(['e', 'c', 'b', 'g', 'f']);
  });

  it('does not let one reader clicking again and again lift an article', () => {
    const ranked = rankArticles(articles, [
      { linkId: 'a', total: 400, unique: 1 },
      { linkId: 'b', total: 3, unique: 3 },
    ]);
    expect(ranked.map((a) => a.id)).toEqual(['b', 'a']);
  });

  it('sums several sends of the same issue and leaves out articles nobody clicked', () => {
    const ranked = rankArticles(articles, [
      { linkId: 'd', total: 2, unique: 2 },
      { linkId: 'a', total: 1, unique: 1 },
      { linkId: 'a', total: 2, unique: 2 },
    ]);
    expect(ranked.map((a) => a.id)).toEqual(['a', 'd']);
  });
});
