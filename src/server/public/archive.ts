import { Feed } from 'feed';
import type { CompiledIssue } from '../../compose/compiled.ts';
import { webVersionOf } from '../../compose/render.ts';
import type { SendRecord, SendStore } from '../../send/record/send-store.ts';

/** One published issue in the archive. */
export interface ArchiveEntry {
  number: number;
  month: string;
  subject: string;
  preheader: string;
  locale: CompiledIssue['locale'];
  /** When it went out (the send's start, ms since epoch). */
  sentAt: number;
  sendId: string;
}

/** How many recent sends the archive looks through. */
const SEND_SCAN = 10_000;
const PUBLISHED = new Set(['sending', 'done']);

/**
 * The web archive over the sends on Redis: every issue that went out to a list (test sends and
 * cancelled or unstarted sends are not published), from its latest send's compiled issue.
 * Compiled issues never change, so each is read once per process.
 */
export function createArchive(deps: {
  sends: Pick<SendStore, 'ids' | 'get' | 'compiled'>;
  publicUrl: string;
}) {
  const compiled = new Map<string, Promise<CompiledIssue>>();
  const compiledOf = (id: string) => {
    let c = compiled.get(id);
    if (!c) {
      c = deps.sends.compiled(id);
      compiled.set(id, c);
      c.catch(() => compiled.delete(id));
    }
    return c;
  };

  /** The latest published send of each issue, newest issue first. */
  async function entries(): Promise<ArchiveEntry[]> {
    const ids = await deps.sends.ids(SEND_SCAN);
    const records = await Promise.all(ids.map((id) => deps.sends.get(id)));
    const latest = new Map<number, SendRecord>();
    for (const r of records) {
      if (!r || r.testTo || !PUBLISHED.has(r.state)) continue;
      const seen = latest.get(r.issue);
      if (!seen || (r.startedAt ?? 0) > (seen.startedAt ?? 0)) latest.set(r.issue, r);
    }
    const list = await Promise.all(
      [...latest.values()].map(async (r): Promise<ArchiveEntry> => {
        const c = await compiledOf(r.id);
        return {
          number: c.number,
          month: c.month,
          subject: c.subject,
          preheader: c.preheader,
          locale: c.locale,
          sentAt: r.startedAt ?? r.at,
          sendId: r.id,
        };
      }),
    );
    return list.sort((a, b) => b.number - a.number);
  }

  return {
    entries,
    /** The web version of a published issue; null when that issue has not gone out. */
    async page(number: number): Promise<{ entry: ArchiveEntry; html: string } | null> {
      const entry = (await entries()).find((e) => e.number === number);
      if (!entry) return null;
      return {
        entry,
        html: webVersionOf(await compiledOf(entry.sendId), { publicUrl: deps.publicUrl }).html,
      };
    },
    /** The web version of a test send (for its signed preview link); null when there is no such test send. */
    async testPage(sendId: string): Promise<string | null> {
      const record = await deps.sends.get(sendId);
      if (!record?.testTo) return null;
      return webVersionOf(await compiledOf(sendId), { publicUrl: deps.publicUrl }).html;
    },
    /** The archive as an RSS 2.0 feed. */
    async feed(title: string): Promise<string> {
      const list = await entries();
      const base = deps.publicUrl;
      const feed = new Feed({
        title,
        id: `${base}/archive`,
        link: `${base}/archive`,
        copyright: title,
        generator: 'Gazette',
        feedLinks: { rss: `${base}/archive/feed.xml` },
        ...(list[0] ? { updated: new Date(list[0].sentAt), language: list[0].locale } : {}),
      });
      for (const e of list) {
        const link = `${base}/archive/${e.number}`;
        feed.addItem({
          title: e.subject,
          id: link,
          guid: link,
          link,
          date: new Date(e.sentAt),
          description: e.preheader,
        });
      }
      return feed.rss2();
    },
  };
}
/** The archive's interface (see createArchive). */
export type Archive = ReturnType<typeof createArchive>;
