import type { Context } from 'hono';
import { z } from 'zod';
import { confirmWithToken, readConfirmation, requestSubscription } from '../subscribers/confirm.ts';
import { DEFAULT_LIST, DisplayName, EmailAddress, ListName, LocaleInput } from '../subscribers/schema.ts';
import { fill, pageStrings } from '../subscribers/strings.ts';
import type { TokenRefusal } from '../subscribers/unsubscribe.ts';
import { clientIp, type ServerDeps } from './deps.ts';
import { pickLocale } from './locale.ts';
import { BadLinkPage, ConfirmPage, MessagePage, renderPage, SubscribePage } from './pages.tsx';

/** The body of POST /subscribe, as a form or JSON. */
export const SubscribeBody = z.object({
  email: EmailAddress,
  name: DisplayName.optional(),
  locale: LocaleInput.optional(),
  list: ListName.optional(),
  lists: z.array(ListName).max(20).optional(),
  /** The consent words the form showed, when it is not our own page. */
  wording: z.string().trim().min(1).max(1000).optional(),
});

function visitorLocale(c: Context, explicit?: string) {
  return pickLocale(explicit ?? c.req.query('lang'), c.req.header('accept-language'), 'en');
}

/** GET /subscribe: the sign-up form in the visitor's language (`?lang=ja|en|ko`, else Accept-Language). */
export function showSubscribe() {
  return (c: Context) => {
    const locale = visitorLocale(c);
    const list = ListName.safeParse(c.req.query('list') ?? DEFAULT_LIST);
    const page = (
      <SubscribePage
        locale={locale}
        strings={pageStrings(locale)}
        list={list.success ? list.data : undefined}
      />
    );
    return c.html(renderPage(page));
  };
}

/**
 * POST /subscribe (form or JSON): validates, stores a pending confirmation and mails the link.
 * The answer is the same whether or not the address was known, so it reveals no subscriber.
 */
export function postSubscribe(deps: ServerDeps) {
  return async (c: Context) => {
    const json = (c.req.header('content-type') ?? '').includes('application/json');
    const raw = json ? await c.req.json().catch(() => null) : await c.req.parseBody().catch(() => null);
    if (raw === null || typeof raw !== 'object') {
      return json ? c.json({ error: 'the body is not valid JSON' }, 400) : c.text('unreadable form', 400);
    }
    const parsed = SubscribeBody.safeParse(raw);
    const locale = visitorLocale(c, parsed.data?.locale ?? (raw as { locale?: string }).locale);
    const strings = pageStrings(locale);
    if (!parsed.success) {
      if (json) return c.json({ error: 'invalid', fields: z.flattenError(parsed.error).fieldErrors }, 400);
      const errors = parsed.error.issues.map((i) =>
        i.path[0] === 'email' ? strings.subscribe.badEmail : i.message,
      );
      const form = raw as Record<string, unknown>;
      const page = (
        <SubscribePage
          locale={locale}
          strings={strings}
          email={typeof form.email === 'string' ? form.email : undefined}
          name={typeof form.name === 'string' ? form.name : undefined}
          errors={errors}
        />
      );
      return c.html(renderPage(page), 400);
    }
    const body = parsed.data;
    const lists = [...new Set([...(body.lists ?? []), ...(body.list ? [body.list] : [])])];
    const known = await deps.store.listNames();
    const unknown = lists.filter((l) => l !== DEFAULT_LIST && !known.includes(l));
    if (unknown.length > 0) {
      const message = `unknown list: ${unknown.join(', ')}`;
      return json ? c.json({ error: 'invalid', fields: { lists: [message] } }, 400) : c.text(message, 400);
    }
    try {
      await requestSubscription(deps, {
        email: body.email,
        name: body.name,
        locale,
        lists: lists.length > 0 ? lists : [DEFAULT_LIST],
        source: json ? 'api' : 'form',
        by: clientIp(c),
        wording: body.wording ?? strings.subscribe.consent,
      });
    } catch (err) {
      (deps.log ?? console.error)('could not send a confirmation mail', err);
      return json
        ? c.json({ error: 'the confirmation mail could not be sent; try again later' }, 503)
        : c.text('The confirmation mail could not be sent; please try again later.', 503);
    }
    if (json) return c.json({ status: 'pending' }, 202);
    const line = fill(strings.subscribe.checkInbox, { email: body.email });
    return c.html(renderPage(<MessagePage locale={locale} title={strings.subscribe.title} lines={[line]} />));
  };
}

/** Answers a refused confirmation link: a 400 page saying why, and that nothing changed. */
function badConfirmLink(c: Context, reason: TokenRefusal | 'used') {
  const locale = visitorLocale(c);
  return c.html(
    renderPage(<BadLinkPage locale={locale} strings={pageStrings(locale)} reason={reason} />),
    400,
  );
}

/**
 * GET /confirm/:token: the link in the confirmation mail. It only asks, with one button: mail
 * scanners follow links, and must not be able to subscribe someone who never pressed it.
 */
export function showConfirm(deps: ServerDeps) {
  return async (c: Context) => {
    const token = c.req.param('token') ?? '';
    const found = await readConfirmation(deps, token);
    if (!found.ok) return badConfirmLink(c, found.reason);
    const { subscriber } = found;
    const strings = pageStrings(subscriber.locale);
    if (!found.pending) {
      const line = fill(strings.confirm.already, { email: subscriber.email });
      return c.html(
        renderPage(<MessagePage locale={subscriber.locale} title={strings.confirm.title} lines={[line]} />),
      );
    }
    return c.html(
      renderPage(
        <ConfirmPage
          locale={subscriber.locale}
          strings={strings}
          email={subscriber.email}
          action={`/confirm/${token}`}
        />,
      ),
    );
  };
}

/** POST /confirm/:token: the button on that page; activates the subscriber and records consent. */
export function postConfirm(deps: ServerDeps) {
  return async (c: Context) => {
    const result = await confirmWithToken(deps, c.req.param('token') ?? '');
    if (!result.ok) return badConfirmLink(c, result.reason);
    const { subscriber } = result;
    const s = pageStrings(subscriber.locale).confirm;
    const line = fill(result.outcome === 'confirmed' ? s.done : s.already, { email: subscriber.email });
    return c.html(renderPage(<MessagePage locale={subscriber.locale} title={s.title} lines={[line]} />));
  };
}
