import type { BounceStore } from '../bounces/bounce-store.ts';
import type { ClickStore } from '../clicks/click-store.ts';
import type { CompiledArticle } from '../compose/compiled.ts';
import type { AnyRedis } from '../redis.ts';
import type { FailureGroup, PassFigures } from '../send/record/send-failures.ts';
import { peakRate } from '../send/record/send-figures.ts';
import type { StatusDeps } from '../send/record/send-status.ts';
import { sendStatus } from '../send/record/send-status.ts';
import { type SendStore, sendKeys } from '../send/record/send-store.ts';
import { type EditionFigures, editionFigures } from './edition-figures.ts';

/**
 * A link's title: sends compiled before the template's links were keyed by their link ids hold
 * `footer-1` for `_footer-1` (written after the articles', so the template link's title even where an
 * article had the same id).
 */
function titleOf(titles: Record<string, string>, linkId: string): string {
  return titles[linkId] ?? (linkId.startsWith('_') ? titles[linkId.slice(1)] : undefined) ?? '';
}

/** Article titles by id, for sends compiled before link titles were kept. */
const titlesOf = (articles: CompiledArticle[]) => Object.fromEntries(articles.map((a) => [a.id, a.title]));

/** One link's clicks in a send, with the URL it leads to. */
export interface LinkReport {
  linkId: string;
  /** What the reader clicked: the article's title (or the photo's, the ranking's, the footer label); empty when unknown. */
  title: string;
  url: string;
  /** People's clicks. */
  total: number;
  /** People who clicked. */
  unique: number;
  /** Machines' clicks (link scanners, prefetches): never in `total`, `unique` or the ranking. */
  machine: number;
}

/** How one send went: `gazette report --json` prints this object. */
export interface SendReport {
  id: string;
  issue: number;
  subject: string;
  state: string;
  total: number;
  delivered: number;
  failed: number;
  skipped: number;
  bounced: number;
  /** Bounce events of the send by reason (`mailbox_full`: 2, …). */
  bouncesByReason: Record<string, number>;
  /** Failures by cause (recipient, relay, temporary, stalled, error) with the relay's words. */
  failures: FailureGroup[];
  /** The send's first pass and each `gazette retry`, with what each delivered. */
  passes: PassFigures[];
  unsubscribed: number;
  complaints: number;
  /** Readers who clicked at least one link. */
  uniqueClicks: number;
  /** uniqueClicks / delivered (0 before any delivery). */
  clickRate: number;
  /** People's clicks on all links. */
  totalClicks: number;
  /** Machines' clicks on all links (link scanners, prefetches), counted apart from the figures above. */
  machineClicks: number;
  /** Clicked links, most clicked by people first (an article's link id is the same in every edition). */
  links: LinkReport[];
  /** The figures of each edition, by locale (docs/architecture.md "Editions"). */
  editions: Record<string, EditionFigures>;
  timeline: {
    firstDelivery: number | null;
    lastDelivery: number | null;
    /** Deliveries per second over the send (the `status` rate). */
    averagePerSecond: number;
    /** The busiest minute's deliveries per second of it the send spanned (src/send/record/send-figures.ts). */
    peakPerSecond: number;
    /** [unix seconds of the minute, deliveries], oldest first. */
    deliveries: [number, number][];
    /** [unix seconds of the minute, people's clicks], oldest first. */
    clicks: [number, number][];
  };
}

/** What a report reads. */
export interface ReportDeps extends StatusDeps {
  redis: AnyRedis;
  prefix: string;
  sends: SendStore;
  clicks: Pick<ClickStore, 'forSend' | 'readersOf' | 'linkReadersOf'>;
  bounces: Pick<BounceStore, 'sendStats' | 'sendReaders'>;
}

/** The report of one send; null when there is no such send. */
export async function sendReport(deps: ReportDeps, id: string): Promise<SendReport | null> {
  const status = await sendStatus(deps, id);
  if (!status) return null;
  const k = sendKeys(deps.prefix, id);
  const [bounces, clicks, minutes, firstAt, links, failures, passes] = await Promise.all([
    deps.bounces.sendStats(id),
    deps.clicks.forSend(id),
    deps.redis.hgetall(k.minutes),
    deps.redis.hget(k.meta, 'firstAt'),
    deps.sends.compiled(id).then(
      (c) => ({
        urls: c.links,
        titles: { ...titlesOf(c.articles), ...c.linkTitles },
        locale: c.locale as string,
      }),
      () => ({ urls: {} as Record<string, string>, titles: {} as Record<string, string>, locale: '' }),
    ),
    deps.sends.failures(id),
    deps.sends.passes(id),
  ]);
  // The bounce policy keeps these counters per send as it records each event (src/bounces/bounce-store.ts).
  const { complaint: _, ...bouncesByReason } = bounces.reasons;
  const complaints = bounces.complaint;
  const deliveries = Object.entries(minutes)
    .map(([minute, n]): [number, number] => [Number(minute) * 60, Number(n)])
    .sort((a, b) => a[0] - b[0]);
  const first = firstAt ? Number(firstAt) : null;
  const editions = await editionFigures(deps, status.record, status.record.editions?.[0] ?? links.locale, {
    delivered: status.delivered,
    failed: status.failed,
    bounced: status.bounced,
    uniqueClicks: clicks.uniqueReaders,
    links: Object.fromEntries(clicks.links.filter((l) => l.unique > 0).map((l) => [l.linkId, l.unique])),
  });
  return {
    id,
    issue: status.record.issue,
    subject: status.record.subject,
    state: status.state,
    total: status.total,
    delivered: status.delivered,
    failed: status.failed,
    skipped: status.skipped,
    bounced: status.bounced,
    bouncesByReason,
    failures,
    passes,
    unsubscribed: status.unsubscribed,
    complaints,
    uniqueClicks: clicks.uniqueReaders,
    clickRate: status.delivered > 0 ? clicks.uniqueReaders / status.delivered : 0,
    totalClicks: clicks.links.reduce((sum, l) => sum + l.total, 0),
    machineClicks: clicks.links.reduce((sum, l) => sum + l.machine, 0),
    links: clicks.links
      .map((l) => ({ ...l, title: titleOf(links.titles, l.linkId), url: links.urls[l.linkId] ?? '' }))
      .sort(
        (a, b) =>
          b.total - a.total ||
          b.unique - a.unique ||
          b.machine - a.machine ||
          a.linkId.localeCompare(b.linkId),
      ),
    editions,
    timeline: {
      firstDelivery: first,
      lastDelivery: status.record.lastAt,
      averagePerSecond: status.rate,
      peakPerSecond: Math.max(status.rate, peakRate(deliveries, first, status.record.lastAt)),
      deliveries,
      clicks: clicks.timeline,
    },
  };
}
