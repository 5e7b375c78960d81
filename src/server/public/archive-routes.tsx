import type { Context } from 'hono';
import { fill, formatMonth, pageStrings } from '../../../templates/locales/chrome-strings.ts';
import { archivePath } from '../../compose/archive-path.ts';
import { LOCALE_NAMES, LOCALES, Locale } from '../../issue/schema.ts';
import { readTestPreviewToken } from '../../send/message/test-preview.ts';
import type { Archive, ArchiveEntry } from './archive.ts';
import { pickLocale } from './locale.ts';
import { MessagePage, pageRenderer } from './pages.tsx';

/** Archive pages show the issue's images (from PUBLIC_URL or the editors' absolute URLs); nothing else loads. */
const ARCHIVE_CSP =
  "default-src 'none'; img-src https: http: data:; style-src 'unsafe-inline'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

function visitorLocale(c: Context): Locale {
  return pickLocale(c.req.query('lang'), c.req.header('accept-language'), 'en');
}

function ArchiveList(props: { entries: ArchiveEntry[]; locale: Locale }) {
  const s = pageStrings(props.locale).archive;
  const languages = LOCALES.filter((l) => props.entries.some((e) => e.editions.some((x) => x.locale === l)));
  return (
    <MessagePage locale={props.locale} title={s.title} lines={props.entries.length === 0 ? [s.empty] : []}>
      <ul>
        {props.entries.map(({ number, month, editions: [first, ...others] }) => (
          <li key={number}>
            <a href={first?.path} lang={first?.locale}>
              {fill(s.issue, { number })} · {formatMonth(month, first?.locale ?? props.locale)} ·{' '}
              {first?.subject}
            </a>
            {others.map((e) => (
              <span key={e.locale}>
                {' · '}
                <a href={e.path} lang={e.locale} hrefLang={e.locale}>
                  {LOCALE_NAMES[e.locale]}
                </a>
              </span>
            ))}
          </li>
        ))}
      </ul>
      <p>
        <a href="/archive/feed.xml">{s.feed}</a>
      </p>
      {languages.length > 1 && (
        <ul>
          {languages.map((l) => (
            <li key={l}>
              <a href={`/archive/${l}/feed.xml`}>{fill(s.languageFeed, { language: LOCALE_NAMES[l] })}</a>
            </li>
          ))}
        </ul>
      )}
    </MessagePage>
  );
}

/**
 * GET /archive, /archive/feed.xml, /archive/:locale/feed.xml, /archive/:number and
 * /archive/:number/:locale: the published issues and their editions, as pages and feeds;
 * GET /archive/test/:token: a test send's web version, for its signed, expiring "view in browser" link.
 */
export function archiveRoutes(archive: Archive, secret: string, mailFrom: string) {
  const renderPage = pageRenderer(mailFrom);
  const missing = (c: Context, lines: string[] = []) => {
    const locale = visitorLocale(c);
    const s = pageStrings(locale).archive;
    return c.html(
      renderPage(<MessagePage locale={locale} title={s.title} lines={lines.length ? lines : [s.missing]} />),
      404,
    );
  };
  return {
    index: async (c: Context) => {
      const locale = visitorLocale(c);
      return c.html(renderPage(<ArchiveList entries={await archive.entries()} locale={locale} />));
    },
    feed: async (c: Context) => {
      const xml = await archive.feed(pageStrings(visitorLocale(c)).archive.title);
      return c.body(xml, 200, { 'content-type': 'application/rss+xml; charset=utf-8' });
    },
    /** One language's editions, titled in that language. */
    languageFeed: async (c: Context) => {
      const locale = Locale.safeParse(c.req.param('locale'));
      if (!locale.success) return missing(c);
      const xml = await archive.feed(pageStrings(locale.data).archive.title, locale.data);
      return c.body(xml, 200, { 'content-type': 'application/rss+xml; charset=utf-8' });
    },
    issue: async (c: Context) => {
      const raw = c.req.param('number') ?? '';
      const edition = c.req.param('locale');
      const locale = edition === undefined ? undefined : Locale.safeParse(edition).data;
      if (edition !== undefined && !locale) return missing(c);
      const found = /^\d{1,9}$/.test(raw) ? await archive.page(Number(raw), locale) : null;
      if (!found) return missing(c);
      // The default edition has one address, the number's own.
      if (locale && found.entry.editions[0]?.locale === locale)
        return c.redirect(archivePath(found.entry.number), 301);
      c.header('Content-Security-Policy', ARCHIVE_CSP);
      return c.html(found.html);
    },
    test: async (c: Context) => {
      const token = readTestPreviewToken(secret, c.req.param('token') ?? '');
      if (!token.ok) {
        const s = pageStrings(visitorLocale(c)).archive;
        return token.reason === 'expired' ? missing(c, [s.previewExpired]) : missing(c);
      }
      const html = await archive.testPage(token.sendId);
      if (!html) return missing(c);
      c.header('Content-Security-Policy', ARCHIVE_CSP);
      // A preview of an unpublished issue: keep it out of search engines.
      c.header('X-Robots-Tag', 'noindex');
      return c.html(html);
    },
  };
}
