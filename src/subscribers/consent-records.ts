import { createHash } from 'node:crypto';
import type { AnyRedis } from '../redis.ts';
import type { SubscriberKeys } from './subscriber-keys.ts';
import { type PendingConfirmation, unpackPending } from './subscriber-record.ts';

/**
 * The consent side of the store: wordings people agreed to (stored once, referred to by id from
 * each record) and outstanding double opt-in confirmations.
 */
export function createConsentRecords(redis: AnyRedis, keys: SubscriberKeys) {
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
  };
}
