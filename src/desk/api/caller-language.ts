import type { Context, MiddlewareHandler } from 'hono';
import type { GazetteError } from '../../errors.ts';
import { acceptedLanguage, type Language, wordingFor } from '../../text/messages/catalogue.ts';
import { type CodedMessage, messageText, placedText } from '../../text/messages/message-text.ts';

/**
 * The language the caller reads. The desk web app keeps each user's UI language in their browser and
 * sends it as `Accept-Language` with every call; a script may send its own. Without one, Japanese,
 * the desk's home language.
 */
export function callerLanguage(c: Context): Language {
  return acceptedLanguage(c.req.header('accept-language'), 'ja');
}

/**
 * Words coded messages in the caller's language. English keeps each message's own words (those of
 * `gazette validate` and the CLI, which scripts may already read); other languages take the
 * catalogue's, values named `…Path` worded as places. `placed` names the message's own `path` first
 * (for answers that carry no separate place, such as a refused CSV row).
 */
export function wordsFor(
  c: Context,
  placed = false,
): (m: CodedMessage & { path?: string | undefined }) => string {
  const language = callerLanguage(c);
  if (language === 'en') return (m) => m.message;
  const t = wordingFor(language);
  return (m) => (placed ? placedText(m, t) : messageText(m, t));
}

/** A refusal's answer: the English `error` callers had before, its code and values, and `message`. */
export function refusal(code: string, params: Record<string, string | number>, error: string) {
  return { error, code, params, message: error };
}

/** A GazetteError as a refusal's answer (`E_EMPTY_LIST` → code `empty-list`). */
export function errorRefusal(err: GazetteError) {
  return refusal(err.messageCode, err.params, err.message);
}

type Coded = CodedMessage & Record<string, unknown>;
const isCoded = (x: unknown): x is Coded =>
  typeof x === 'object' && x !== null && typeof (x as Coded).code === 'string' && 'message' in x;

/**
 * Words every refusal of the desk API in the caller's language on its way out: each coded problem
 * of `errors` and a coded `{error, code, params, message}`. Done once at the edge, so a route
 * states its refusal once, in English with a code, and never handles languages itself.
 */
export function wordRefusals(): MiddlewareHandler {
  return async (c, next) => {
    await next();
    if (c.res.status < 400 || !c.res.headers.get('content-type')?.includes('json')) return;
    if (callerLanguage(c) === 'en') return;
    const words = wordsFor(c);
    const body: unknown = await c.res.clone().json();
    if (typeof body !== 'object' || body === null) return;
    const answer = body as { errors?: unknown };
    if (Array.isArray(answer.errors)) {
      answer.errors = answer.errors.map((e) => (isCoded(e) ? { ...e, message: words(e) } : e));
    } else if (isCoded(body)) {
      body.message = words(body);
    } else return;
    const { status } = c.res;
    const headers = new Headers(c.res.headers);
    headers.delete('content-length');
    // Unset first: Hono's setter would copy the old answer's headers onto the new one.
    c.res = undefined;
    c.res = new Response(JSON.stringify(body), { status, headers });
  };
}
