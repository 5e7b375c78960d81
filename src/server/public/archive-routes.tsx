import type { Context } from 'hono';
import { fill, formatMonth, pageStrings } from '../../../templates/locales/chrome-strings.ts';
import { readTestPreviewToken } from '../../send/message/test-preview.ts';
import type { Archive, ArchiveEntry } from './archive.ts';
import { pickLocale } from './locale.ts';
import { MessagePage, pageRenderer } from './pages.tsx';

/** Archive pages show the issue's images (from PUBLIC_URL or the editors' absolute URLs); nothing else loads. */
const ARCHIVE_CSP =
  "default-src 'none'; img-src https: http: data:; style-src 'unsafe-inline'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

function visitorLocale(c: Context) {
  return pickLocale(c.req.query('lang'), c.req.header('accept-language'), 'en');
}

function ArchiveList(props: { entries: ArchiveEntry[]; locale: ReturnType<typeof visitorLocale> }) {
  const s = pageStrings(props.locale).archive;
  return (
    <MessagePage locale={props.locale} title={s.title} lines={props.entries.length === 0 ? [s.empty] : []}>
      <ul>
        {props.entries.map((e) => (
          <li key={e.number}>
            <a href={`/archive/${e.number}`}>
              {fill(s.issue, { number: e.number })} · {formatMonth(e.month, e.locale)} · {e.subject}
            </a>
          </li>
        ))}
      </ul>
      <p>
        <a href="/archive/feed.xml">{s.feed}</a>
      </p>
    </MessagePage>
  );
}

/**
 * GET /archive, /archive/feed.xml and /archive/:number: the published issues, as pages and a feed;
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
    issue: async (c: Context) => {
      const raw = c.req.param('number') ?? '';
      const found = /^\d{1,9}$/.test(raw) ? await archive.page(Number(raw)) : null;
      if (!found) return missing(c);
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
