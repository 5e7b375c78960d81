import type { Audience } from './audience.ts';
import { editionFor } from './edition-for.ts';

/** Subscribers read per round trip while counting. */
const PAGE = 1000;

/**
 * How many active members of `list` each edition reaches (see editionFor), by locale in the order
 * of `editions`. Reads the list once, a page at a time; `gazette send` says it before it asks.
 */
export async function editionReach<L extends string>(
  subscribers: Pick<Audience, 'pageList' | 'getMany'>,
  list: string,
  editions: readonly L[],
  fallback?: string,
): Promise<Record<L, number>> {
  const reach = Object.fromEntries(editions.map((e) => [e, 0])) as Record<L, number>;
  for (let after = 0; ; ) {
    const ids = await subscribers.pageList(list, after, PAGE);
    if (ids.length === 0) return reach;
    for (const member of await subscribers.getMany(ids)) {
      if (member?.status === 'active') reach[editionFor(member.locale, editions, fallback)] += 1;
    }
    after = ids.at(-1) as number;
  }
}
