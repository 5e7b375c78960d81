import { taggedKey } from '../../redis.ts';

/** Keys of one send; all under `<prefix>:sends:<id>`, one hash tag (BullMQ owns `<prefix>:send:…`). */
export function sendKeys(prefix: string, id: string) {
  return {
    meta: taggedKey(prefix, `sends:${id}`),
    /** The default edition's compiled issue; another edition's is `compiledOf(locale)`. */
    compiled: taggedKey(prefix, `sends:${id}`, 'compiled'),
    compiledOf: (locale: string) => taggedKey(prefix, `sends:${id}`, 'compiled', locale),
    /** Each recipient's edition as a 4-bit field at #subscriber id (its place in `editions`, plus 1). */
    edition: taggedKey(prefix, `sends:${id}`, 'edition'),
    /** Outcomes per edition (field `<place>:<outcome>`, place as in `editions`). */
    editionCounts: taggedKey(prefix, `sends:${id}`, 'edition-counts'),
    counts: taggedKey(prefix, `sends:${id}`, 'counts'),
    /** One bit per subscriber id: set once the recipient has an outcome in this send. */
    settled: taggedKey(prefix, `sends:${id}`, 'settled'),
    /** Ids of delivery jobs parked while the send is paused. */
    parked: taggedKey(prefix, `sends:${id}`, 'parked'),
    /** Deliveries per minute (field: unix minute), for the report's timeline. */
    minutes: taggedKey(prefix, `sends:${id}`, 'minutes'),
    /** Ids of recipients failed with a retryable cause, for `gazette retry` (zset, score = id). */
    retryable: taggedKey(prefix, `sends:${id}`, 'retryable'),
    /** Failures by `<cause>\t<the relay's words>`. */
    failures: taggedKey(prefix, `sends:${id}`, 'failures'),
  };
}

/** Keys of retry pass `n` (2 and on) of a send: the counts before it, its ids, the failures it retried. */
export function passKeys(prefix: string, id: string, n: number) {
  return {
    before: taggedKey(prefix, `sends:${id}`, 'pass', n),
    ids: taggedKey(prefix, `sends:${id}`, 'pass', n, 'ids'),
    failures: taggedKey(prefix, `sends:${id}`, 'pass', n, 'failures'),
  };
}
