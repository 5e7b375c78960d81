import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.ts';
import { queueConnection } from '../src/queue-names.ts';
import { sentinelOptions } from '../src/redis.ts';
import { redisName } from '../src/redis-wait.ts';

const SECRET = { GAZETTE_SECRET: 'test-secret-0123456789abcdef0123456789' };
const settings = (env: Record<string, string>) => loadConfig({ ...SECRET, ...env }, () => {});

describe('Redis behind Sentinel: the settings', () => {
  it('takes the sentinels and the name together, and the password, user, database and TLS from REDIS_URL', () => {
    const config = settings({
      REDIS_URL: 'rediss://gazette:s%40cret@unused:6379/2',
      REDIS_SENTINELS: '10.0.0.1:26379, sentinel-b.internal:26380,[::1]:26381',
      REDIS_SENTINEL_NAME: 'gazette-main',
      REDIS_SENTINEL_PASSWORD: 'sentinel-pass',
    });
    expect(sentinelOptions(config)).toEqual({
      sentinels: [
        { host: '10.0.0.1', port: 26379 },
        { host: 'sentinel-b.internal', port: 26380 },
        { host: '::1', port: 26381 },
      ],
      name: 'gazette-main',
      username: 'gazette',
      password: 's@cret',
      sentinelPassword: 'sentinel-pass',
      db: 2,
      tls: {},
      enableTLSForSentinelMode: true,
    });
    expect(queueConnection(config, 'send').connection).toEqual(sentinelOptions(config));
    const place = redisName(config);
    expect(place).toBe(
      'the Redis primary "gazette-main" of the sentinels 10.0.0.1:26379,sentinel-b.internal:26380,[::1]:26381',
    );
    expect(place).not.toContain('cret');
  });

  it('stays one Redis at REDIS_URL without them, its password masked for people', () => {
    const config = settings({ REDIS_URL: 'redis://:hunter2hunter2@redis.internal:6380' });
    expect(sentinelOptions(config)).toBeUndefined();
    expect(queueConnection(config, 'send').connection).toEqual({
      url: 'redis://:hunter2hunter2@redis.internal:6380',
    });
    expect(redisName(config)).toBe('Redis at redis://:***@redis.internal:6380');
  });

  it('refuses one of the two without the other, naming both', () => {
    const halves: Record<string, string>[] = [
      { REDIS_SENTINELS: '127.0.0.1:26379' },
      { REDIS_SENTINEL_NAME: 'gazette-main' },
    ];
    for (const half of halves) {
      expect(() => settings(half)).toThrow(ConfigError);
      expect(() => settings(half)).toThrow(/REDIS_SENTINELS and REDIS_SENTINEL_NAME go together/);
    }
  });

  it('refuses a cluster and sentinels together', () => {
    expect(() =>
      settings({
        REDIS_CLUSTER_NODES: '127.0.0.1:7000',
        REDIS_SENTINELS: '127.0.0.1:26379',
        REDIS_SENTINEL_NAME: 'gazette-main',
      }),
    ).toThrow(/REDIS_CLUSTER_NODES and REDIS_SENTINELS exclude each other/);
  });

  it('refuses a sentinel that is not host:port, or a port out of range', () => {
    for (const bad of ['127.0.0.1', 'host:port', '127.0.0.1:0', '127.0.0.1:70000', 'a b:1']) {
      expect(() => settings({ REDIS_SENTINELS: bad, REDIS_SENTINEL_NAME: 'gazette-main' })).toThrow(
        /REDIS_SENTINELS.*: must be (host:port pairs|port numbers)/,
      );
    }
  });
});
