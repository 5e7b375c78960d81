import { crc32 } from 'node:zlib';
import { redisKey, taggedKey } from '../redis.ts';

/**
 * The e-mail index is spread over this many small hashes so that each stays a listpack (about 40
 * bytes an address instead of about 80 in one big hash). 4,096 buckets keep every bucket under
 * Redis's default 512-entry listpack limit up to about 2 million subscribers; beyond that buckets
 * turn into ordinary hash tables, which costs memory, not correctness.
 */
const EMAIL_BUCKETS = 4096;

/** Every Redis key the subscriber store uses, under the configured prefix. */
export function subscriberKeys(prefix: string) {
  return {
    /** INCR counter handing out subscriber ids. */
    seq: redisKey(prefix, 'sub', 'seq'),
    /** One small hash per subscriber (see subscriber-record.ts). */
    record: (id: number) => redisKey(prefix, 'sub', id),
    /** Bucket of the e-mail key → id index. */
    emailBucket: (key: string) => redisKey(prefix, 'sub', 'email', crc32(key) % EMAIL_BUCKETS),
    /** A list: a bitmap with bit `id` set for each member, paged in id order. */
    list: (name: string) => taggedKey(prefix, 'list', name),
    /**
     * The set of list names ever used; it shares the lists' hash tag (renaming a list moves both), and
     * is the tag's word with an s so that on one Redis it keeps its name `<prefix>:lists`.
     */
    lists: `${taggedKey(prefix, 'list')}s`,
    /** Suppressed e-mail keys → `reason␟unix seconds`. */
    suppressed: redisKey(prefix, 'suppressed'),
    /** Consent wordings by id (a hash of the text). */
    wordings: redisKey(prefix, 'wording'),
    /** Send id → number of subscribers who unsubscribed through that send's mail. */
    unsubscribesBySend: redisKey(prefix, 'sub', 'unsubscribes-by-send'),
    /** Scratch hash an import uses to find repeated addresses within one file. */
    importSeen: (runId: string) => redisKey(prefix, 'sub', 'import', runId),
  };
}
export type SubscriberKeys = ReturnType<typeof subscriberKeys>;
