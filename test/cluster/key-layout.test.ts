import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { queuePrefix } from '../../src/queue-names.ts';
import { clusterNodes, redisKey, setHashTags, siblingKey, taggedKey } from '../../src/redis.ts';
import { sendKeys } from '../../src/send/record/send-keys.ts';
import { subscriberKeys } from '../../src/subscribers/subscriber-keys.ts';

/** The hash tag Redis Cluster hashes: the text between the first `{` and the next `}`, or the whole key. */
function hashed(key: string): string {
  const open = key.indexOf('{');
  const close = key.indexOf('}', open + 1);
  return open >= 0 && close > open + 1 ? key.slice(open + 1, close) : key;
}

afterEach(() => setHashTags(false));

describe('the key layout (issue 23)', () => {
  it('on one Redis keeps every key name it had: no braces anywhere', () => {
    const send = sendKeys('gazette', 's1');
    const subs = subscriberKeys('gazette');
    expect(send.counts).toBe('gazette:sends:s1:counts');
    expect(send.meta).toBe('gazette:sends:s1');
    expect(subs.list('news')).toBe('gazette:list:news');
    expect(subs.lists).toBe('gazette:lists');
    expect(siblingKey('gazette', 'totp', '-pending', 'a@b.c')).toBe('gazette:totp-pending:a@b.c');
    expect(queuePrefix('gazette', 'deliver', false)).toBe('gazette');
  });

  it('on a cluster puts what one script uses together under one tag, and leaves the rest to spread', () => {
    setHashTags(true);
    const send = sendKeys('gazette', 's1');
    const settle = [
      send.settled,
      send.counts,
      send.meta,
      send.minutes,
      send.retryable,
      send.failures,
      send.edition,
      send.editionCounts,
    ];
    expect(new Set(settle.map(hashed))).toEqual(new Set(['sends:s1']));
    expect(hashed(sendKeys('gazette', 's2').counts)).toBe('sends:s2');
    const subs = subscriberKeys('gazette');
    expect(new Set([subs.lists, subs.list('a'), subs.list('b')].map(hashed))).toEqual(new Set(['list']));
    expect(subs.lists).toBe('gazette:{list}s');
    // Records and the e-mail index are hashed whole: spread over every master.
    expect(hashed(subs.record(42))).toBe('gazette:sub:42');
    expect(hashed(subs.emailBucket('a@example.org'))).toBe(subs.emailBucket('a@example.org'));
    expect(
      new Set([taggedKey('g', 'totp', 'x'), siblingKey('g', 'totp', '-recovery', 'x')].map(hashed)),
    ).toEqual(new Set(['totp']));
    expect(queuePrefix('gazette', 'deliver', true)).toBe('gazette:{deliver}');
    expect(redisKey('gazette', 'audit')).toBe('gazette:audit');
  });

  it('reads the seed nodes, and refuses a REDIS_CLUSTER_NODES that names none clearly', () => {
    expect(clusterNodes(' 10.0.0.1:7000, redis-b.internal:7001 ')).toEqual([
      { host: '10.0.0.1', port: 7000 },
      { host: 'redis-b.internal', port: 7001 },
    ]);
    expect(clusterNodes(undefined)).toEqual([]);
    expect(loadConfig({ REDIS_CLUSTER_NODES: '127.0.0.1:7000,127.0.0.1:7001' }).REDIS_CLUSTER_NODES).toBe(
      '127.0.0.1:7000,127.0.0.1:7001',
    );
    for (const bad of ['127.0.0.1', 'redis://127.0.0.1:7000', '127.0.0.1:7000;rm -rf /', ':7000']) {
      expect(() => loadConfig({ REDIS_CLUSTER_NODES: bad }, () => undefined)).toThrow(/REDIS_CLUSTER_NODES/);
    }
  });
});
