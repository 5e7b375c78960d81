import { renderToStaticMarkup } from 'react-dom/server';
import { theme } from '../../../templates/issue/theme.ts';
import { pageStrings } from '../../../templates/locales/chrome-strings.ts';
import { LOCALE_NAMES, type Locale } from '../../issue/schema.ts';

/** One edition of a number and the absolute URL of its archive page. */
export interface EditionLink {
  locale: Locale;
  url: string;
}

/**
 * Adds the sibling editions to the archive page of one edition: a `<link rel="alternate" hreflang>`
 * for each (and x-default for the first, the default edition), so that search engines show a reader
 * their language, and a switcher above the issue naming each language in its own script. A number
 * with one edition is left as it is.
 */
export function withEditionLinks(html: string, current: Locale, editions: readonly EditionLink[]): string {
  const [first] = editions;
  if (!first || editions.length < 2) return html;
  const head = renderToStaticMarkup(
    <>
      {editions.map((e) => (
        <link key={e.locale} rel="alternate" hrefLang={e.locale} href={e.url} />
      ))}
      <link rel="alternate" hrefLang="x-default" href={first.url} />
    </>,
  );
  const switcher = renderToStaticMarkup(
    <nav
      aria-label={pageStrings(current).archive.language}
      style={{ textAlign: 'center', padding: '10px', font: '15px/1.6 sans-serif', background: theme.page }}
    >
      {editions.map((e, i) => (
        <span key={e.locale}>
          {i > 0 && ' · '}
          {e.locale === current ? (
            <strong lang={e.locale} aria-current="page">
              {LOCALE_NAMES[e.locale]}
            </strong>
          ) : (
            <a lang={e.locale} hrefLang={e.locale} href={e.url} style={{ color: theme.brand }}>
              {LOCALE_NAMES[e.locale]}
            </a>
          )}
        </span>
      ))}
    </nav>,
  );
  // Functions as replacements, so that no `$` in a URL is read as a pattern.
  return html
    .replace('</head>', () => `${head}</head>`)
    .replace(/<body[^>]*>/, (body) => `${body}${switcher}`);
}
