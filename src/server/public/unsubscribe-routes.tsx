import type { Context } from 'hono';
import { fill, pageStrings } from '../../../templates/locales/chrome-strings.ts';
import { clientIp } from '../../http/client-ip.ts';
import { Locale } from '../../issue/schema.ts';
import { editOwnPreferences } from '../../subscribers/edit-subscriber.ts';
import { readUnsubscribeToken, unsubscribeWithToken } from '../../subscribers/unsubscribe.ts';
import { pickLocale } from './locale.ts';
import { BadLinkPage, MessagePage, PreferencesPage, pageRenderer } from './pages.tsx';
import type { ServerDeps } from './server-deps.ts';

function visitorLocale(c: Context) {
  return pickLocale(c.req.query('lang'), c.req.header('accept-language'), 'en');
}

/**
 * The preference centre of the subscriber a token names, or the page that says why there is none
 * (a refused token: 400; an unknown or unsubscribed reader: a line).
 */
async function preferences(deps: ServerDeps, c: Context, token: string, saved: boolean) {
  const renderPage = pageRenderer(deps.config.MAIL_FROM);
  const read = readUnsubscribeToken(deps.config.GAZETTE_SECRET, token, deps.subscribers.clock());
  if (!read.ok) {
    const locale = visitorLocale(c);
    return c.html(
      renderPage(<BadLinkPage locale={locale} strings={pageStrings(locale)} reason={read.reason} />),
      400,
    );
  }
  const subscriber = await deps.subscribers.get(read.subscriberId);
  const locale = subscriber?.locale ?? visitorLocale(c);
  const s = pageStrings(locale);
  if (!subscriber) {
    return c.html(
      renderPage(<MessagePage locale={locale} title={s.unsubscribe.title} lines={[s.unsubscribe.unknown]} />),
    );
  }
  if (subscriber.status === 'unsubscribed') {
    const line = fill(s.unsubscribe.already, { email: subscriber.email });
    return c.html(renderPage(<MessagePage locale={locale} title={s.unsubscribe.title} lines={[line]} />));
  }
  const [lists = []] = await deps.subscribers.listsOf([subscriber.id]);
  const page = (
    <PreferencesPage
      locale={locale}
      strings={s}
      email={subscriber.email}
      lists={lists}
      action={`/u/${token}`}
      saved={saved}
    />
  );
  return c.html(renderPage(page));
}

/** GET /u/:token: the reader's preference centre. A GET never changes anything (mail scanners follow links). */
export function showPreferences(deps: ServerDeps) {
  return (c: Context) => preferences(deps, c, c.req.param('token') ?? '', false);
}

/**
 * POST /u/:token/preferences: the preference centre's form. The signed token in the address is what
 * only the reader holds; a browser's form from another site is refused by its Origin as well.
 * Changes the language and leaves the lists not ticked, then shows the page again, saved.
 */
export function postPreferences(deps: ServerDeps) {
  const origin = new URL(deps.config.PUBLIC_URL).origin;
  return async (c: Context) => {
    const from = c.req.header('origin');
    if (from !== undefined && from !== origin) return c.text('Cross-site form refused.', 403);
    const token = c.req.param('token') ?? '';
    const read = readUnsubscribeToken(deps.config.GAZETTE_SECRET, token, deps.subscribers.clock());
    // A refused token changes nothing; the page says why.
    if (!read.ok) return preferences(deps, c, token, false);
    const body = await c.req.parseBody({ all: true }).catch(() => ({}) as Record<string, unknown>);
    const locale = Locale.safeParse(body.locale);
    if (body.locale !== undefined && !locale.success) return c.text('Unknown language.', 400);
    const ticked = [body.lists ?? []].flat().filter((l): l is string => typeof l === 'string');
    const subscriber = await deps.subscribers.get(read.subscriberId);
    if (subscriber && subscriber.status !== 'unsubscribed') {
      await editOwnPreferences(deps.subscribers, subscriber.id, {
        locale: locale.data,
        keep: body.listsShown === '1' ? ticked : undefined,
      });
    }
    return preferences(deps, c, token, subscriber !== null && subscriber.status !== 'unsubscribed');
  };
}

/**
 * POST /u/:token: RFC 8058 one-click (body `List-Unsubscribe=One-Click`, form-encoded or
 * multipart) and the page's button. Unsubscribes at once, answers 200 (never a redirect: mail
 * providers do not follow them), and is harmless to repeat.
 */
export function postUnsubscribe(deps: ServerDeps) {
  const renderPage = pageRenderer(deps.config.MAIL_FROM);
  return async (c: Context) => {
    const body = await c.req.parseBody().catch(() => ({}) as Record<string, unknown>);
    const via =
      body.via === 'page' ? 'page' : body['List-Unsubscribe'] === 'One-Click' ? 'one-click' : 'post';
    const result = await unsubscribeWithToken(deps, c.req.param('token') ?? '', {
      via,
      by: clientIp(c, deps.config.TRUST_PROXY),
    });
    if (!result.ok) {
      const locale = visitorLocale(c);
      return c.html(
        renderPage(<BadLinkPage locale={locale} strings={pageStrings(locale)} reason={result.reason} />),
        400,
      );
    }
    const locale = result.subscriber?.locale ?? visitorLocale(c);
    const s = pageStrings(locale).unsubscribe;
    const email = result.subscriber?.email ?? '';
    const line =
      result.outcome === 'unknown'
        ? s.unknown
        : fill(result.outcome === 'changed' ? s.done : s.already, { email });
    return c.html(renderPage(<MessagePage locale={locale} title={s.title} lines={[line]} />));
  };
}
