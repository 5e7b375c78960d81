import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { stringify } from 'csv-stringify/sync';
import type { Subscriber } from '../subscriber-schema.ts';
import type { SubscriberStore } from '../subscriber-store.ts';
import { safeCell } from './csv-cells.ts';

export type ExportFormat = 'csv' | 'jsonl';

/** The CSV columns, in order; `subscribers import` reads email, name, locale, lists and status back. */
export const EXPORT_COLUMNS = [
  'email',
  'name',
  'locale',
  'lists',
  'status',
  'created_at',
  'updated_at',
  'consent_source',
  'consent_at',
  'consent_by',
  'consent_wording',
  'consent_form_url',
] as const;

/** One exported subscriber, as a JSONL line carries it. */
export interface ExportedSubscriber {
  email: string;
  name: string;
  locale: string;
  lists: string[];
  status: string;
  createdAt: string;
  updatedAt: string;
  consent: { source: string; at: string; by: string; wording: string; formUrl: string } | null;
}

const PAGE = 1000;

/**
 * Writes every subscriber (or the members of `list`) to `out` in id order, as CSV (UTF-8 with BOM
 * so that Excel reads it, CRLF, formula-like cells neutralised) or JSONL. Returns the number written.
 */
export async function exportSubscribers(
  store: SubscriberStore,
  out: Writable,
  opts: { format: ExportFormat; list?: string },
): Promise<number> {
  const wordings = await store.wordings();
  if (opts.format === 'csv')
    await write(out, `\uFEFF${stringify([EXPORT_COLUMNS], { record_delimiter: 'windows' })}`);
  let afterId = 0;
  let written = 0;
  for (;;) {
    const page = await nextPage(store, afterId, opts.list);
    if (page.length === 0) break;
    afterId = page.at(-1)?.id ?? afterId;
    const lists = await store.listsOf(page.map((s) => s.id));
    const rows = page.map((s, i) => exported(s, lists[i] ?? [], wordings));
    await write(
      out,
      opts.format === 'csv' ? csvRows(rows) : rows.map((r) => `${JSON.stringify(r)}\n`).join(''),
    );
    written += rows.length;
  }
  return written;
}

async function nextPage(
  store: SubscriberStore,
  afterId: number,
  list: string | undefined,
): Promise<Subscriber[]> {
  if (!list) return store.pageAll(afterId, PAGE);
  const ids = await store.pageList(list, afterId, PAGE);
  return (await store.getMany(ids)).filter((s): s is Subscriber => s !== null);
}

function exported(s: Subscriber, lists: string[], wordings: Record<string, string>): ExportedSubscriber {
  return {
    email: s.email,
    name: s.name,
    locale: s.locale,
    lists,
    status: s.status,
    createdAt: s.createdAt,
    updatedAt: s.updatedAt,
    consent: s.consent && {
      source: s.consent.source,
      at: s.consent.at,
      by: s.consent.by,
      wording: wordings[s.consent.wordingId] ?? '',
      formUrl: s.consent.formUrl,
    },
  };
}

function csvRows(rows: ExportedSubscriber[]): string {
  const cells = rows.map((r) =>
    [
      r.email,
      r.name,
      r.locale,
      r.lists.join(' '),
      r.status,
      r.createdAt,
      r.updatedAt,
      r.consent?.source ?? '',
      r.consent?.at ?? '',
      r.consent?.by ?? '',
      r.consent?.wording ?? '',
      r.consent?.formUrl ?? '',
    ].map(safeCell),
  );
  return stringify(cells, { record_delimiter: 'windows' });
}

/** Writes with back-pressure, so that a slow reader never makes a long output pile up in memory. */
export async function write(out: Writable, chunk: string): Promise<void> {
  if (!out.write(chunk)) await once(out, 'drain');
}
