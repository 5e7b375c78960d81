import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLICK_DEDUPE_SECONDS, createClickStore } from '../../src/clicks/click-store.ts';
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
    expect(await store.record('s1', 'lead', 7)).toBe(true);
    expect(await store.record('s1', 'lead', 7)).toBe(false); // a double click
    await store.record('s1', 'lead', 8);
    await store.record('s1', 'metaverse', 7);
    now += 60_000;
    await t.redis.del(`${t.prefix}:clicks:s1:recent:7:lead`); // as if the dedupe window had passed
    expect(await store.record('s1', 'lead', 7)).toBe(true);

    const clicks = await store.forSend('s1');
    expect(clicks.links.sort((a, b) => a.linkId.localeCompare(b.linkId))).toEqual([
      { linkId: 'lead', total: 3, unique: 2 },
      { linkId: 'metaverse', total: 1, unique: 1 },
    ]);
    expect(clicks.uniqueReaders).toBe(2);
    expect(clicks.timeline.map(([, n]) => n)).toEqual([3, 1]);
    expect(await t.redis.ttl(`${t.prefix}:clicks:s1:recent:8:lead`)).toBeLessThanOrEqual(
      CLICK_DEDUPE_SECONDS,
    );
  });

  it('gives an empty result for a send nobody clicked', async () => {
    const store = createClickStore({ redis: t.redis, prefix: t.prefix });
    expect(await store.forSend('nobody')).toEqual({ links: [], uniqueReaders: 0, timeline: [] });
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
