import type { Audience } from '../audience.ts';
import { averageRate } from './send-figures.ts';
import type { SendRecord, SendState, SendStore } from './send-store.ts';

/** A send's state and counts, as `gazette status --json` prints them (docs/architecture.md contract). */
export interface SendStatusJson {
  id: string;
  state: SendState;
  total: number;
  queued: number;
  delivered: number;
  failed: number;
  skipped: number;
  bounced: number;
  unsubscribed: number;
}

/** The status with what a person also wants to see. */
export interface SendStatus extends SendStatusJson {
  record: SendRecord;
  /** Messages per second over the send so far (0 before the first delivery). */
  rate: number;
}

/** What reading a status needs. */
export interface StatusDeps {
  sends: SendStore;
  subscribers: Pick<Audience, 'unsubscribesForSend'>;
  clock?: () => number;
}

/** The status of one send; null when there is no such send. */
export async function sendStatus(deps: StatusDeps, id: string): Promise<SendStatus | null> {
  const [record, counts, unsubscribed] = await Promise.all([
    deps.sends.get(id),
    deps.sends.counts(id),
    deps.subscribers.unsubscribesForSend(id),
  ]);
  if (!record) return null;
  // Until the fan-out has walked the whole list, the list's size at creation is the best total.
  const total = record.fanoutDone ? counts.total : Math.max(counts.total, record.expected);
  const settled = counts.delivered + counts.failed + counts.skipped;
  const end =
    record.state === 'sending' ? (deps.clock ?? Date.now)() : (record.lastAt ?? record.startedAt ?? 0);
  return {
    id,
    state: record.state,
    total,
    queued: record.state === 'cancelled' || record.state === 'done' ? 0 : Math.max(0, total - settled),
    delivered: counts.delivered,
    failed: counts.failed,
    skipped: counts.skipped,
    bounced: counts.bounced,
    unsubscribed,
    record,
    rate: averageRate(counts.delivered, record.startedAt ?? null, end),
  };
}

/** The statuses of the most recent sends, newest first. */
export async function recentStatuses(deps: StatusDeps, limit = 20): Promise<SendStatus[]> {
  const ids = await deps.sends.ids(limit);
  const all = await Promise.all(ids.map((id) => sendStatus(deps, id)));
  return all.filter((s): s is SendStatus => s !== null);
}

/** A send as the desk's lists show it: the status figures, and which issue went to whom, when. */
export interface SendSummaryJson extends SendStatusJson {
  issue: number;
  subject: string;
  /** The list; empty for a test send. */
  list: string;
  /** When it is (or was) due, ISO-8601 UTC. */
  at: string;
  startedAt: string | null;
  doneAt: string | null;
  /** A test send (`--test`, the desk's test button): one address, never counted with the real sends. */
  test: boolean;
}

/** The summary of a status (see SendSummaryJson). */
export function summaryJson(s: SendStatus): SendSummaryJson {
  const { record } = s;
  const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
  return {
    ...statusJson(s),
    issue: record.issue,
    subject: record.subject,
    list: record.list,
    at: new Date(record.at).toISOString(),
    startedAt: iso(record.startedAt),
    doneAt: iso(record.doneAt),
    test: record.testTo !== null,
  };
}

/** The contract's JSON shape, with nothing else. */
export function statusJson(s: SendStatus): SendStatusJson {
  const { id, state, total, queued, delivered, failed, skipped, bounced, unsubscribed } = s;
  return { id, state, total, queued, delivered, failed, skipped, bounced, unsubscribed };
}
