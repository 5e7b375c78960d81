import { Feed } from 'feed';
import { archivePath } from '../../compose/archive-path.ts';
import type { CompiledIssue } from '../../compose/compiled.ts';
import { webVersionOf } from '../../compose/render.ts';
import type { Locale } from '../../issue/schema.ts';
import type { SendRecord, SendStore } from '../../send/record/send-store.ts';
import { withEditionLinks } from './edition-links.tsx';

/** One edition of a published issue: its language and its own words. */
export interface ArchiveEdition {
  locale: Locale;
  subject: string;
  preheader: string;
  /** Its page, `/archive/<n>` for the default edition and `/archive/<n>/<locale>` for the others. */
  path: string;
}

/** One published issue in the archive, with its editions (the default first). */
export interface ArchiveEntry {
  number: number;
  month: string;
  editions: ArchiveEdition[];
  /** When it went out (the send's start, ms since epoch). */
  sentAt: number;
  sendId: string;
}

/** How many recent sends the archive looks through. */
const SEND_SCAN = 10_000;
const PUBLISHED = new Set(['sending', 'done']);

/** The archive page of an edition: the default edition's is the number's own page. */
function editionPath(number: number, locale: Locale, defaultLocale: Locale): string {
  return archivePath(number, locale === defaultLocale ? undefined : locale);
}

/**
 * The web archive over the sends on Redis: every issue that went out to a list (test sends and
 * cancelled or unstarted sends are not published), from its latest send's compiled editions.
 * Compiled issues never change, so each is read once per process.
 */
export function createArchive(deps: {
  sends: Pick<SendStore, 'ids' | 'get' | 'compiled'>;
  publicUrl: string;
}) {
  const base = deps.publicUrl.replace(/\/+$/, '');
  const compiled = new Map<string, Promise<CompiledIssue>>();
  const compiledOf = (id: string, locale?: Locale) => {
    const key = `${id} ${locale ?? ''}`;
    let c = compiled.get(key);
    if (!c) {
      c = deps.sends.compiled(id, locale);
      compiled.set(key, c);
      c.catch(() => compiled.delete(key));
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
        const first = await compiledOf(r.id);
        // A send made before editions has one: the compiled issue's locale.
        const locales = r.editions ?? [first.locale];
        const editions = await Promise.all(
          locales.map(async (locale, i): Promise<ArchiveEdition> => {
            const c = i === 0 ? first : await compiledOf(r.id, locale);
            const path = editionPath(c.number, locale, first.locale);
            return { locale, subject: c.subject, preheader: c.preheader, path };
          }),
        );
        return {
          number: first.number,
          month: first.month,
          editions,
          sentAt: r.startedAt ?? r.at,
          sendId: r.id,
        };
      }),
    );
    return list.sort((a, b) => b.number - a.number);
  }

  return {
    entries,
    /**
     * The web version of one edition of a published issue (the default edition when `locale` is
     * omitted), with its sibling editions linked; null when that issue or edition has not gone out.
     */
    async page(number: number, locale?: Locale): Promise<{ entry: ArchiveEntry; html: string } | null> {
      const entry = (await entries()).find((e) => e.number === number);
      const edition = entry && (locale ? entry.editions.find((e) => e.locale === locale) : entry.editions[0]);
      if (!entry || !edition) return null;
      const c = await compiledOf(entry.sendId, edition === entry.editions[0] ? undefined : edition.locale);
      const html = webVersionOf(c, { publicUrl: deps.publicUrl }).html;
      const editions = entry.editions.map((e) => ({ locale: e.locale, url: `${base}${e.path}` }));
      return { entry, html: withEditionLinks(html, edition.locale, editions) };
    },
    /** The web version of a test send (for its signed preview link); null when there is no such test send. */
    async testPage(sendId: string): Promise<string | null> {
      const record = await deps.sends.get(sendId);
      if (!record?.testTo) return null;
      return webVersionOf(await compiledOf(sendId), { publicUrl: deps.publicUrl }).html;
    },
    /**
     * The archive as an RSS 2.0 feed: every number's default edition, or with `locale` the editions
     * in that language only (at /archive/<locale>/feed.xml).
     */
    async feed(title: string, locale?: Locale): Promise<string> {
      const items = (await entries()).flatMap((e) => {
        const edition = locale ? e.editions.find((x) => x.locale === locale) : e.editions[0];
        return edition ? [{ ...edition, sentAt: e.sentAt }] : [];
      });
      const self = locale ? `${base}/archive/${locale}/feed.xml` : `${base}/archive/feed.xml`;
      const language = locale ?? items[0]?.locale;
      const feed = new Feed({
        title,
        id: `${base}/archive`,
        link: `${base}/archive`,
        copyright: title,
        generator: 'Gazette',
        feedLinks: { rss: self },
        ...(language ? { language } : {}),
        ...(items[0] ? { updated: new Date(items[0].sentAt) } : {}),
      });
      for (const e of items) {
        const link = `${base}${e.path}`;
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
