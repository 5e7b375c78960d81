import type { ReactNode } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import type { Locale } from '../issue/schema.ts';
import { fill, type PageStrings } from '../subscribers/strings.ts';
import type { TokenRefusal } from '../subscribers/unsubscribe.ts';

const CSS = `
body{margin:0;background:#f4f4f5;color:#27272a;font:16px/1.6 -apple-system,"Segoe UI","Hiragino Sans","Apple SD Gothic Neo","Noto Sans CJK JP",sans-serif}
main{max-width:32rem;margin:3rem auto;padding:2rem;background:#fff;border-radius:8px}
h1{font-size:1.3rem;margin:0 0 1rem}
button{font:inherit;font-weight:600;color:#fff;background:#1d4ed8;border:0;border-radius:6px;padding:.7rem 1.4rem;cursor:pointer}
label{display:block;margin:.8rem 0 .2rem}
input[type=email],input[type=text]{font:inherit;width:100%;box-sizing:border-box;padding:.5rem;border:1px solid #a1a1aa;border-radius:4px}
.note{color:#71717a;font-size:.9rem}
.error{color:#b91c1c}
`;

/** Renders a page to an HTML document; React escapes every string it is given. */
export function renderPage(page: ReactNode): string {
  return `<!doctype html>${renderToStaticMarkup(page)}`;
}

function Layout({ locale, title, children }: { locale: Locale; title: string; children: ReactNode }) {
  return (
    <html lang={locale}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="robots" content="noindex" />
        <title>{title}</title>
        <style>{CSS}</style>
      </head>
      <body>
        <main>
          <h1>{title}</h1>
          {children}
        </main>
      </body>
    </html>
  );
}

/** A message page: a title and a paragraph or two (and, optionally, more content after them). */
export function MessagePage(props: { locale: Locale; title: string; lines: string[]; children?: ReactNode }) {
  return (
    <Layout locale={props.locale} title={props.title}>
      {props.lines.map((line) => (
        <p key={line}>{line}</p>
      ))}
      {props.children}
    </Layout>
  );
}

/** GET /u/:token: asks, and offers one button; nothing changes until it is pressed. */
export function UnsubscribePage(props: {
  locale: Locale;
  strings: PageStrings;
  email: string;
  action: string;
}) {
  const s = props.strings.unsubscribe;
  return (
    <Layout locale={props.locale} title={s.title}>
      <p>{fill(s.question, { email: props.email })}</p>
      <form method="post" action={props.action}>
        {/* The same body as an RFC 8058 one-click POST, so both take the same path. */}
        <input type="hidden" name="List-Unsubscribe" value="One-Click" />
        <input type="hidden" name="via" value="page" />
        <button type="submit">{s.button}</button>
      </form>
    </Layout>
  );
}

/** GET /confirm/:token: asks, and offers one button; nothing changes until it is pressed (mail scanners follow links). */
export function ConfirmPage(props: { locale: Locale; strings: PageStrings; email: string; action: string }) {
  const s = props.strings.confirm;
  return (
    <Layout locale={props.locale} title={s.button}>
      <p>{fill(s.question, { email: props.email })}</p>
      <form method="post" action={props.action}>
        <button type="submit">{s.button}</button>
      </form>
    </Layout>
  );
}

/** The 400 page for a refused token: says why and that nothing changed. */
export function BadLinkPage(props: { locale: Locale; strings: PageStrings; reason: TokenRefusal | 'used' }) {
  const s = props.strings.badLink;
  return <MessagePage locale={props.locale} title={s.title} lines={[s[props.reason], s.nothingChanged]} />;
}

/** GET /subscribe, and POST /subscribe again with the problems when the form was not valid. */
export function SubscribePage(props: {
  locale: Locale;
  strings: PageStrings;
  /** The id of the consent wording shown, sent back with the form (consent-records.ts). */
  wordingId: string;
  list?: string;
  email?: string;
  name?: string;
  errors?: string[];
}) {
  const s = props.strings.subscribe;
  return (
    <Layout locale={props.locale} title={s.title}>
      {props.errors && props.errors.length > 0 && (
        <div className="error">
          <p>{s.invalid}</p>
          <ul>
            {props.errors.map((e) => (
              <li key={e}>{e}</li>
            ))}
          </ul>
        </div>
      )}
      <form method="post" action="/subscribe">
        <label htmlFor="email">{s.email}</label>
        <input
          id="email"
          name="email"
          type="email"
          required
          defaultValue={props.email}
          autoComplete="email"
        />
        <label htmlFor="name">{s.name}</label>
        <input id="name" name="name" type="text" defaultValue={props.name} autoComplete="name" />
        <input type="hidden" name="locale" value={props.locale} />
        {props.list && <input type="hidden" name="list" value={props.list} />}
        <input type="hidden" name="wording" value={props.wordingId} />
        <p className="note">{s.consent}</p>
        <button type="submit">{s.button}</button>
      </form>
    </Layout>
  );
}
