import type { BounceStore } from '../bounces/bounce-store.ts';
import type { ClickStore } from '../clicks/click-store.ts';
import type { AnyRedis } from '../redis.ts';
import type { SendRecord } from '../send/record/send-store.ts';
import { sendKeys } from '../send/record/send-store.ts';

/** How one edition of a send went (`report --json`'s `editions`). */
export interface EditionFigures {
  delivered: number;
  failed: number;
  /** Readers of the edition who bounced (hard or soft). */
  bounced: number;
  /** Readers of the edition who clicked at least one link. */
  uniqueClicks: number;
  /** uniqueClicks / delivered (0 before any delivery). */
  clickRate: number;
  /** People of the edition who clicked each link, by link id (links nobody of it clicked are left out). */
  links: Record<string, number>;
}

/** What the figures per edition read. */
export interface EditionFiguresDeps {
  redis: AnyRedis;
  prefix: string;
  clicks: Pick<ClickStore, 'readersOf' | 'linkReadersOf'>;
  bounces: Pick<BounceStore, 'sendReaders'>;
}

/** Each set bit of a Redis bitmap (bit n is subscriber n). */
function* setBits(bitmap: Buffer | null): Generator<number> {
  if (!bitmap) return;
  for (let byte = 0; byte < bitmap.length; byte++) {
    const b = bitmap[byte] as number;
    if (b === 0) continue;
    for (let bit = 0; bit < 8; bit++) if (b & (0x80 >> bit)) yield byte * 8 + bit;
  }
}

/** The 4-bit field at #n of a BITFIELD key (big-endian nibbles): the reader's edition place plus 1. */
function nibble(fields: Buffer | null, n: number): number {
  const byte = fields?.[n >> 1] ?? 0;
  return n % 2 === 0 ? byte >> 4 : byte & 0x0f;
}

/**
 * The figures of each edition of a send, by locale: outcomes from the counters the settle script
 * keeps per edition, bounces and clicks by reading each reader's edition from the send's edition
 * field (one bitmap walk each, in the report only; nothing per message). A send made before
 * editions counts everything under `locale`, its one edition.
 */
export async function editionFigures(
  deps: EditionFiguresDeps,
  record: Pick<SendRecord, 'id' | 'editions'>,
  locale: string,
  totals: {
    delivered: number;
    failed: number;
    uniqueClicks: number;
    bounced: number;
    /** People who clicked each link, by link id (every edition together). */
    links: Record<string, number>;
  },
): Promise<Record<string, EditionFigures>> {
  const locales = record.editions ?? [];
  if (locales.length === 0) {
    const { delivered, failed, uniqueClicks, bounced, links } = totals;
    return {
      [locale]: {
        delivered,
        failed,
        bounced,
        uniqueClicks,
        clickRate: delivered > 0 ? uniqueClicks / delivered : 0,
        links,
      },
    };
  }
  const k = sendKeys(deps.prefix, record.id);
  const linkIds = Object.keys(totals.links);
  const [counts, fields, clicked, bounced, linkReaders] = await Promise.all([
    deps.redis.hgetall(k.editionCounts),
    deps.redis.getBuffer(k.edition),
    deps.clicks.readersOf(record.id),
    deps.bounces.sendReaders(record.id),
    deps.clicks.linkReadersOf(record.id, linkIds),
  ]);
  const tally = (bitmap: Buffer | null) => {
    const per = locales.map(() => 0);
    for (const n of setBits(bitmap)) {
      const place = nibble(fields, n) - 1;
      // A reader with no recorded edition (a test, or a send settled elsewhere) counts as the default's.
      const at = place >= 0 && place < per.length ? place : 0;
      per[at] = (per[at] ?? 0) + 1;
    }
    return per;
  };
  const clicks = tally(clicked);
  const bounces = tally(bounced);
  const perLink = linkReaders.map(tally);
  const linksOf = (place: number) =>
    Object.fromEntries(
      linkIds.map((id, i) => [id, perLink[i]?.[place] ?? 0] as const).filter(([, n]) => n > 0),
    );
  return Object.fromEntries(
    locales.map((l, place) => {
      const delivered = Number(counts[`${place}:delivered`] ?? 0);
      const uniqueClicks = clicks[place] ?? 0;
      return [
        l,
        {
          delivered,
          failed: Number(counts[`${place}:failed`] ?? 0),
          bounced: bounces[place] ?? 0,
          uniqueClicks,
          clickRate: delivered > 0 ? uniqueClicks / delivered : 0,
          links: linksOf(place),
        },
      ];
    }),
  );
}
