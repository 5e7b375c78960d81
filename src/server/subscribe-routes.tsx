import { randomBytes } from 'node:crypto';
import type { Context } from 'hono';
import { z } from 'zod';
import { LOCALES, type Locale } from '../issue/schema.ts';
import { confirmWithToken, readConfirmation } from '../subscribers/confirm.ts';
import { type ConfirmJob, confirmJobOptions } from '../subscribers/confirm-queue.ts';
import { mailboxKey, quote } from '../subscribers/email.ts';
import { DEFAULT_LIST, DisplayName, EmailAddress, ListName, LocaleInput } from '../subscribers/schema.ts';
import { fill, pageStrings } from '../subscribers/strings.ts';
import type { TokenRefusal } from '../subscribers/unsubscribe.ts';
import { clientIp, type ServerDeps, type Signups } from './deps.ts';
import { pickLocale } from './locale.ts';
import { BadLinkPage, ConfirmPage, MessagePage, renderPage, SubscribePage } from './pages.tsx';

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

function visitorLocale(c: Context, explicit?: string) {
  return pickLocale(explicit ?? c.req.query('lang'), c.req.header('accept-language'), 'en');
}

/** The wording ids this server shows on its forms, by locale (stored once; cached by the store). */
async function ourWordings(deps: ServerDeps): Promise<Map<string, Locale>> {
  const ids = await Promise.all(LOCALES.map((l) => deps.store.saveWording(pageStrings(l).subscribe.consent)));
  return new Map(ids.map((id, i) => [id, LOCALES[i] as Locale]));
}

/** The URL of the form that shows a locale's wording: what a consent record points to. */
function formUrl(deps: ServerDeps, locale: Locale): string {
  return `${deps.config.PUBLIC_URL}/subscribe?lang=${locale}`;
}

/** GET /subscribe: the sign-up form in the visitor's language (`?lang=ja|en|ko`, else Accept-Language). */
export function showSubscribe(deps: ServerDeps) {
  return async (c: Context) => {
    const locale = visitorLocale(c);
    const strings = pageStrings(locale);
    const list = ListName.safeParse(c.req.query('list') ?? DEFAULT_LIST);
    const wordingId = await deps.store.saveWording(strings.subscribe.consent);
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

/**
 * The first sign-up limit a request runs into (client IP, then mailbox, then the hourly ceiling
 * on confirmation mails), or null. Counting does not depend on whether the address is known.
 */
async function limitReached(deps: ServerDeps & { signups: Signups }, ip: string, email: string) {
  const { limits } = deps.signups;
  for (const answer of [() => limits.ip.take(ip), () => limits.mailbox.take(mailboxKey(email))]) {
    const result = await answer();
    if (!result.ok) return result.retryAfter;
  }
  const ceiling = await limits.mails.peek('all');
  return ceiling.ok ? null : ceiling.retryAfter;
}

/**
 * POST /subscribe (form or JSON): validates, checks the sign-up limits and queues the confirmation
 * mail. Whether the address is known is decided off the request path, so the answer (and its
 * timing) is the same for a member and a stranger; nothing is stored until the mail has gone out.
 */
export function postSubscribe(deps: ServerDeps & { signups: Signups }) {
  return async (c: Context) => {
    const json = (c.req.header('content-type') ?? '').includes('application/json');
    const raw = json ? await c.req.json().catch(() => null) : await c.req.parseBody().catch(() => null);
    if (raw === null || typeof raw !== 'object') {
      return json ? c.json({ error: 'the body is not valid JSON' }, 400) : c.text('unreadable form', 400);
    }
    const parsed = SubscribeBody.safeParse(raw);
    const locale = visitorLocale(c, parsed.data?.locale ?? (raw as { locale?: string }).locale);
    const strings = pageStrings(locale);
    const wordings = await ourWordings(deps);
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
          wordingId={await deps.store.saveWording(strings.subscribe.consent)}
          email={typeof form.email === 'string' ? form.email : undefined}
          name={typeof form.name === 'string' ? form.name : undefined}
          errors={errors}
        />
      );
      return c.html(renderPage(page), 400);
    }
    const body = parsed.data;
    const refuse = (field: string, message: string) =>
      json ? c.json({ error: 'invalid', fields: { [field]: [message] } }, 400) : c.text(message, 400);
    if (body.wording !== undefined && !wordings.has(body.wording)) {
      return refuse('wording', `${quote(body.wording)} is not a consent wording this server shows`);
    }
    const lists = [...new Set([...(body.lists ?? []), ...(body.list ? [body.list] : [])])];
    const known = await deps.store.listNames();
    const unknown = lists.filter((l) => l !== DEFAULT_LIST && !known.includes(l));
    if (unknown.length > 0) return refuse('lists', `unknown list: ${unknown.join(', ')}`);
    const by = clientIp(c, deps.config.TRUST_PROXY);
    try {
      const retryAfter = await limitReached(deps, by, body.email);
      if (retryAfter !== null) return tooMany(c, json, locale, retryAfter);
      const wordingId = body.wording ?? (await deps.store.saveWording(strings.subscribe.consent));
      const nonce = randomBytes(6).toString('hex');
      const job: ConfirmJob = {
        nonce,
        email: body.email,
        name: body.name ?? '',
        locale,
        lists: lists.length > 0 ? lists : [DEFAULT_LIST],
        source: json ? 'api' : 'form',
        by,
        wordingId,
        formUrl: formUrl(deps, wordings.get(wordingId) ?? locale),
        at: deps.store.clock(),
      };
      await deps.signups.queue.add('confirm', job, { ...confirmJobOptions, jobId: `c${nonce}` });
    } catch (err) {
      (deps.log ?? console.error)('could not take a sign-up', err);
      return json
        ? c.json({ error: 'the sign-up could not be taken; try again later' }, 503)
        : c.text('The sign-up could not be taken; please try again later.', 503);
    }
    if (json) return c.json({ status: 'pending' }, 202);
    const line = fill(strings.subscribe.checkInbox, { email: body.email });
    return c.html(renderPage(<MessagePage locale={locale} title={strings.subscribe.title} lines={[line]} />));
  };
}

/** The calm answer to a sign-up over a limit: 429 with Retry-After, a page in the visitor's language. */
function tooMany(c: Context, json: boolean, locale: Locale, retryAfter: number) {
  c.header('Retry-After', String(retryAfter));
  if (json) return c.json({ error: 'too many sign-ups; try again later', retryAfter }, 429);
  const strings = pageStrings(locale).subscribe;
  const line = fill(strings.tooMany, { minutes: Math.max(1, Math.ceil(retryAfter / 60)) });
  return c.html(renderPage(<MessagePage locale={locale} title={strings.title} lines={[line]} />), 429);
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
