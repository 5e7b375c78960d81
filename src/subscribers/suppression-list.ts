import type { AnyRedis } from '../redis.ts';
import { emailKey } from './email.ts';
import type { SubscriberKeys } from './subscriber-keys.ts';
import { suppressionValue, unpackSuppression } from './subscriber-record.ts';

/**
 * The global suppression list: normalised addresses (case-folded) that no send may mail, each
 * with the first reason given and when. Every send checks it at delivery time.
 */
export function createSuppressionList(redis: AnyRedis, keys: SubscriberKeys, clock: () => number) {
  /** Which of `emails` are suppressed, in the same order. One command. */
  async function areSuppressed(emails: readonly string[]): Promise<boolean[]> {
    if (emails.length === 0) return [];
    const values = await redis.hmget(keys.suppressed, ...emails.map(emailKey));
    return values.map((v) => v !== null);
  }

  /** Why and since when an address is suppressed; null when it is not. */
  async function suppression(email: string): Promise<{ reason: string; at: string } | null> {
    const value = await redis.hget(keys.suppressed, emailKey(email));
    return value === null ? null : unpackSuppression(value);
  }

  /** Adds an address to the suppression list; the first reason given is kept. Harmless to repeat. */
  async function suppress(email: string, reason: string): Promise<void> {
    await redis.hsetnx(keys.suppressed, emailKey(email), suppressionValue(reason, clock()));
  }

  /** Takes addresses off the suppression list (only for an explicit re-subscription). */
  async function unsuppress(emails: readonly string[]): Promise<void> {
    if (emails.length > 0) await redis.hdel(keys.suppressed, ...emails.map(emailKey));
  }

  return {
    areSuppressed,
    suppression,
    suppress,
    unsuppress,
    /** Whether one address is suppressed. */
    isSuppressed: async (email: string): Promise<boolean> => (await areSuppressed([email]))[0] ?? false,
  };
}
