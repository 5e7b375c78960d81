import type { Context } from 'hono';
import { fill, pageStrings } from '../../../templates/locales/chrome-strings.ts';
import { clientIp } from '../../http/client-ip.ts';
import { readUnsubscribeToken, unsubscribeWithToken } from '../../subscribers/unsubscribe.ts';
import { pickLocale } from './locale.ts';
import { BadLinkPage, MessagePage, pageRenderer, UnsubscribePage } from './pages.tsx';
import type { ServerDeps } from './server-deps.ts';

function visitorLocale(c: Context) {
  return pickLocale(c.req.query('lang'), c.req.header('accept-language'), 'en');
}

/** GET /u/:token: the confirmation page with one button. A GET never unsubscribes (mail scanners follow links). */
export function showUnsubscribe(deps: ServerDeps) {
  const renderPage = pageRenderer(deps.config.MAIL_FROM);
  return async (c: Context) => {
    const token = c.req.param('token') ?? '';
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
        renderPage(
          <MessagePage locale={locale} title={s.unsubscribe.title} lines={[s.unsubscribe.unknown]} />,
        ),
      );
    }
    if (subscriber.status === 'unsubscribed') {
      const line = fill(s.unsubscribe.already, { email: subscriber.email });
      return c.html(renderPage(<MessagePage locale={locale} title={s.unsubscribe.title} lines={[line]} />));
    }
    const page = (
      <UnsubscribePage locale={locale} strings={s} email={subscriber.email} action={`/u/${token}`} />
    );
    return c.html(renderPage(page));
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
