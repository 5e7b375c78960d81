import type { Context } from 'hono';
import { z } from 'zod';
import { fill, pageStrings } from '../../../templates/locales/chrome-strings.ts';
import { clientIp } from '../../http/client-ip.ts';
import type { Locale } from '../../issue/schema.ts';
import { quote } from '../../subscribers/email.ts';
import { confirmWithToken, readConfirmation } from '../../subscribers/signup/double-opt-in.ts';
import { type SignupAnswer, type Signups, takeSignup } from '../../subscribers/signup/take-signup.ts';
import {
  DEFAULT_LIST,
  DisplayName,
  EmailAddress,
  ListName,
  LocaleInput,
} from '../../subscribers/subscriber-schema.ts';
import type { TokenRefusal } from '../../subscribers/unsubscribe.ts';
import { pickLocale } from './locale.ts';
import { BadLinkPage, ConfirmPage, MessagePage, pageRenderer, SubscribePage } from './pages.tsx';
import type { ServerDeps } from './server-deps.ts';

/** The body of POST /subscribe, as a form or JSON. */
export const SubscribeBody = z.object({
  email: EmailAddress,
  name: DisplayName.optional(),
  locale: LocaleInput.optional(),
  list: ListName.optional(),
  lists: z.array(ListName).max(20).optional(),
  /** The id of the consent wording the form showed: one of ours (our forms send it), never text. */
  wording: z
    .string()
    .regex(/^[0-9a-f]{6,64}$/, 'must be the id of a consent wording this server shows')
    .optional(),
});

type Render = ReturnType<typeof pageRenderer>;

function visitorLocale(c: Context, explicit?: string) {
  return pickLocale(explicit ?? c.req.query('lang'), c.req.header('accept-language'), 'en');
}

/** GET /subscribe: the sign-up form in the visitor's language (`?lang=ja|en|ko|zh`, else Accept-Language). */
export function showSubscribe(deps: ServerDeps) {
  const renderPage = pageRenderer(deps.config.MAIL_FROM);
  return async (c: Context) => {
    const locale = visitorLocale(c);
    const strings = pageStrings(locale);
    const list = ListName.safeParse(c.req.query('list') ?? DEFAULT_LIST);
    const wordingId = await deps.subscribers.saveWording(strings.subscribe.consent);
    const page = (
      <SubscribePage
        locale={locale}
        strings={strings}
        wordingId={wordingId}
        list={list.success ? list.data : undefined}
      />
    );
    return c.html(renderPage(page));
  };
}

/** The answer to a refused sign-up: 400 naming the field, or the calm 429 of a limit. */
function refusal(
  c: Context,
  json: boolean,
  locale: Locale,
  answer: Exclude<SignupAnswer, { ok: true }>,
  renderPage: Render,
) {
  if (answer.reason === 'limit') return tooMany(c, json, locale, answer.retryAfter, renderPage);
  const [field, message] =
    answer.reason === 'wording'
      ? ['wording', `${quote(answer.wording)} is not a consent wording this server shows`]
      : ['lists', `unknown list: ${answer.unknown.join(', ')}`];
  return json ? c.json({ error: 'invalid', fields: { [field]: [message] } }, 400) : c.text(message, 400);
}

/**
 * POST /subscribe (form or JSON): validates, then takeSignup (our wordings, lists, limits, the queued
 * confirmation mail). The answer, and its timing, is the same for a member and a stranger.
 */
export function postSubscribe(deps: ServerDeps & { signups: Signups }) {
  const renderPage = pageRenderer(deps.config.MAIL_FROM);
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
          wordingId={await deps.subscribers.saveWording(strings.subscribe.consent)}
          email={typeof form.email === 'string' ? form.email : undefined}
          name={typeof form.name === 'string' ? form.name : undefined}
          errors={errors}
        />
      );
      return c.html(renderPage(page), 400);
    }
    const { email, name = '', list, lists = [], wording } = parsed.data;
    const request = {
      email,
      name,
      locale,
      lists: [...new Set([...lists, ...(list ? [list] : [])])],
      source: json ? ('api' as const) : ('form' as const),
      by: clientIp(c, deps.config.TRUST_PROXY),
      ...(wording === undefined ? {} : { wording }),
    };
    const answer = await takeSignup(deps, request).catch((err: unknown) => {
      (deps.log ?? console.error)('could not take a sign-up', err);
      return null;
    });
    if (!answer) {
      return json
        ? c.json({ error: 'the sign-up could not be taken; try again later' }, 503)
        : c.text('The sign-up could not be taken; please try again later.', 503);
    }
    if (!answer.ok) return refusal(c, json, locale, answer, renderPage);
    if (json) return c.json({ status: 'pending' }, 202);
    const line = fill(strings.subscribe.checkInbox, { email });
    return c.html(renderPage(<MessagePage locale={locale} title={strings.subscribe.title} lines={[line]} />));
  };
}

/** The calm answer to a sign-up over a limit: 429 with Retry-After, a page in the visitor's language. */
function tooMany(c: Context, json: boolean, locale: Locale, retryAfter: number, renderPage: Render) {
  c.header('Retry-After', String(retryAfter));
  if (json) return c.json({ error: 'too many sign-ups; try again later', retryAfter }, 429);
  const strings = pageStrings(locale).subscribe;
  const line = fill(strings.tooMany, { minutes: Math.max(1, Math.ceil(retryAfter / 60)) });
  return c.html(renderPage(<MessagePage locale={locale} title={strings.title} lines={[line]} />), 429);
}

/** Answers a refused confirmation link: a 400 page saying why, and that nothing changed. */
function badConfirmLink(c: Context, reason: TokenRefusal | 'used', renderPage: Render) {
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
  const renderPage = pageRenderer(deps.config.MAIL_FROM);
  return async (c: Context) => {
    const token = c.req.param('token') ?? '';
    const found = await readConfirmation(deps, token);
    if (!found.ok) return badConfirmLink(c, found.reason, renderPage);
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
  const renderPage = pageRenderer(deps.config.MAIL_FROM);
  return async (c: Context) => {
    const result = await confirmWithToken(deps, c.req.param('token') ?? '');
    if (!result.ok) return badConfirmLink(c, result.reason, renderPage);
    const { subscriber } = result;
    const s = pageStrings(subscriber.locale).confirm;
    const line = fill(result.outcome === 'confirmed' ? s.done : s.already, { email: subscriber.email });
    return c.html(renderPage(<MessagePage locale={subscriber.locale} title={s.title} lines={[line]} />));
  };
}
