import { redisKey } from '../../redis.ts';

/** Keys of one send; all under `<prefix>:sends:<id>` (BullMQ owns `<prefix>:send:…`). */
export function sendKeys(prefix: string, id: string) {
  return {
    meta: redisKey(prefix, 'sends', id),
    /** The default edition's compiled issue; another edition's is `compiledOf(locale)`. */
    compiled: redisKey(prefix, 'sends', id, 'compiled'),
    compiledOf: (locale: string) => redisKey(prefix, 'sends', id, 'compiled', locale),
    counts: redisKey(prefix, 'sends', id, 'counts'),
    /** One bit per subscriber id: set once the recipient has an outcome in this send. */
    settled: redisKey(prefix, 'sends', id, 'settled'),
    /** Ids of delivery jobs parked while the send is paused. */
    parked: redisKey(prefix, 'sends', id, 'parked'),
    /** Deliveries per minute (field: unix minute), for the report's timeline. */
    minutes: redisKey(prefix, 'sends', id, 'minutes'),
    /** Ids of recipients failed with a retryable cause, for `gazette retry` (zset, score = id). */
    retryable: redisKey(prefix, 'sends', id, 'retryable'),
    /** Failures by `<cause>\t<the relay's words>`. */
    failures: redisKey(prefix, 'sends', id, 'failures'),
  };
}

/** Keys of retry pass `n` (2 and on) of a send: the counts before it, its ids, the failures it retried. */
export function passKeys(prefix: string, id: string, n: number) {
  return {
    before: redisKey(prefix, 'sends', id, 'pass', n),
    ids: redisKey(prefix, 'sends', id, 'pass', n, 'ids'),
    failures: redisKey(prefix, 'sends', id, 'pass', n, 'failures'),
  };
}
