import { createContext, type ReactNode, useContext } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { theme } from '../../../templates/issue/theme.ts';
import { fill, type PageStrings } from '../../../templates/locales/chrome-strings.ts';
import { LOCALE_NAMES, LOCALES, type Locale } from '../../issue/schema.ts';
import { senderName } from '../../send/message/message-template.ts';
import type { TokenRefusal } from '../../subscribers/unsubscribe.ts';

// The issue template's colours, so that a reader who follows a link from the mail lands on the same paper.
const CSS = `
body{margin:0;background:${theme.page};color:${theme.text};font:16px/1.6 -apple-system,"Segoe UI","Hiragino Sans","Apple SD Gothic Neo","Noto Sans CJK JP",sans-serif}
.masthead{background:${theme.brand};color:#fff;text-align:center;padding:1.1rem 1rem;font-weight:700;font-size:1.25rem;letter-spacing:.12em}
main{max-width:32rem;margin:2rem auto;padding:2rem;background:${theme.card};border-radius:8px}
@media (max-width:36rem){main{margin:1rem;padding:1.5rem}}
h1{font-size:1.3rem;margin:0 0 1rem}
h2{font-size:1.1rem;margin:2rem 0 .5rem}
fieldset{border:0;padding:0;margin:1rem 0}
legend{padding:0;margin-bottom:.2rem}
select{font:inherit;padding:.4rem;border:1px solid #a1a1aa;border-radius:4px}
label.check{margin:.3rem 0}
a{color:${theme.brand}}
button{font:inherit;font-weight:600;color:#fff;background:${theme.brand};border:0;border-radius:6px;padding:.7rem 1.4rem;cursor:pointer}
label{display:block;margin:.8rem 0 .2rem}
input[type=email],input[type=text]{font:inherit;width:100%;box-sizing:border-box;padding:.5rem;border:1px solid #a1a1aa;border-radius:4px}
.note{color:#71717a;font-size:.9rem}
.error{color:#b91c1c}
`;

/** The newsletter's name on every page (MAIL_FROM's display name, as readers see it in their inbox). */
const Newsletter = createContext('');

/**
 * Renders pages to HTML documents under the name of the newsletter that MAIL_FROM sends (its display
 * name: "I · SEOUL · U <news@…>"); React escapes every string it is given.
 */
export function pageRenderer(mailFrom: string): (page: ReactNode) => string {
  const name = senderName(mailFrom);
  return (page) =>
    `<!doctype html>${renderToStaticMarkup(<Newsletter.Provider value={name}>{page}</Newsletter.Provider>)}`;
}

function Layout({ locale, title, children }: { locale: Locale; title: string; children: ReactNode }) {
  const newsletter = useContext(Newsletter);
  return (
    <html lang={locale}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="robots" content="noindex" />
        <title>{newsletter ? `${title} · ${newsletter}` : title}</title>
        <style>{CSS}</style>
      </head>
      <body>
        {newsletter && <header className="masthead">{newsletter}</header>}
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

/**
 * GET /u/:token, the reader's preference centre: their edition's language and the lists they are
 * on (they may leave one, not join one), saved by one form, and leaving altogether by another.
 * Nothing changes until a button is pressed (mail scanners follow links).
 */
export function PreferencesPage(props: {
  locale: Locale;
  strings: PageStrings;
  email: string;
  lists: readonly string[];
  action: string;
  saved?: boolean;
}) {
  const p = props.strings.preferences;
  const s = props.strings.unsubscribe;
  return (
    <Layout locale={props.locale} title={p.title}>
      {props.saved && (
        <p className="note" role="status">
          {p.saved}
        </p>
      )}
      <p>{fill(p.intro, { email: props.email })}</p>
      <form method="post" action={`${props.action}/preferences`}>
        <label htmlFor="locale">{p.language}</label>
        <select id="locale" name="locale" defaultValue={props.locale}>
          {LOCALES.map((l) => (
            <option key={l} value={l} lang={l}>
              {LOCALE_NAMES[l]}
            </option>
          ))}
        </select>
        {props.lists.length > 0 && (
          <fieldset>
            <legend>{p.lists}</legend>
            {/* Says that the boxes were shown: none ticked then means "none", not "unchanged". */}
            <input type="hidden" name="listsShown" value="1" />
            {props.lists.map((list) => (
              <label key={list} className="check">
                <input type="checkbox" name="lists" value={list} defaultChecked /> {list}
              </label>
            ))}
          </fieldset>
        )}
        <p>
          <button type="submit">{p.save}</button>
        </p>
      </form>
      <h2>{s.title}</h2>
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
