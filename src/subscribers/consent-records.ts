import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import { redisKey } from '../redis.ts';
import { emailKey } from './email.ts';
import type { SubscriberKeys } from './keys.ts';
import { type PendingConfirmation, unpackPending } from './record.ts';

/**
 * The consent side of the store: wordings people agreed to (stored once, referred to by id from
 * each record), outstanding double opt-in confirmations and the confirmation-mail rate limit.
 */
export function createConsentRecords(redis: Redis, keys: SubscriberKeys, clock: () => number) {
  const wordingIds = new Map<string, string>();

  /**
   * Stores a consent wording once and returns its id: the shortest prefix (6 hex digits or more) of
   * the text's SHA-256 not already taken by another wording.
   */
  async function saveWording(text: string): Promise<string> {
    const wording = text.normalize('NFC').trim();
    const cached = wordingIds.get(wording);
    if (cached) return cached;
    const hash = createHash('sha256').update(wording).digest('hex');
    for (let length = 6; length <= hash.length; length += 2) {
      const id = hash.slice(0, length);
      if (
        (await redis.hsetnx(keys.wordings, id, wording)) === 1 ||
        (await redis.hget(keys.wordings, id)) === wording
      ) {
        wordingIds.set(wording, id);
        return id;
      }
    }
    throw new Error('two consent wordings have the same SHA-256');
  }

  return {
    saveWording,
    /** Every consent wording by id. */
    wordings: (): Promise<Record<string, string>> => redis.hgetall(keys.wordings),
    /** The outstanding double opt-in confirmation of a subscriber, if any, with its stored form. */
    pendingConfirmation: async (id: number): Promise<(PendingConfirmation & { packed: string }) | null> => {
      const packed = await redis.hget(keys.record(id), 'q');
      const pending = unpackPending(packed);
      return pending && packed ? { ...pending, packed } : null;
    },
    /**
     * Takes the right to send a confirmation mail to an address in the current window of `seconds`
     * (by the store's clock); false when one went out in this window, so that a form cannot be
     * used to flood someone's inbox.
     */
    claimConfirmationMail: async (email: string, seconds: number): Promise<boolean> => {
      const window = Math.floor(clock() / (seconds * 1000));
      const key = redisKey(keys.confirmSent(emailKey(email)), window);
      return (await redis.set(key, '1', 'EX', seconds * 2, 'NX')) === 'OK';
    },
    /** Gives the right back, after a confirmation mail failed to go out. */
    releaseConfirmationMail: async (email: string, seconds: number): Promise<void> => {
      const window = Math.floor(clock() / (seconds * 1000));
      await redis.del(redisKey(keys.confirmSent(emailKey(email)), window));
    },
  };
}
