import { type CodedMessage, placedText } from '../../text/messages/message-text.ts';
import { isApiError } from './api/http.ts';
import { isMessageKey, type MessageKey, type Translate, useI18n } from './i18n/i18n.tsx';

const BY_STATUS: Record<number, MessageKey> = {
  0: 'errorNetwork',
  403: 'errorForbidden',
  404: 'errorNotFound',
  413: 'errorTooLarge',
  429: 'errorThrottled',
};

/** The desk's own origin from a 421 answer (`{error, origin}`), or null. */
function wrongHostOrigin(error: unknown): string | null {
  if (!isApiError(error) || error.status !== 421) return null;
  const origin = (error.body as { origin?: unknown } | null)?.origin;
  return typeof origin === 'string' && /^https?:\/\/[^/\s]+$/.test(origin) ? origin : null;
}

/**
 * The 421 in the UI's language with the desk's address as a link: the page was opened at another
 * host name (127.0.0.1 where the desk is localhost), and "try again later" would never help.
 */
function WrongHost({ origin }: { origin: string }) {
  const { t } = useI18n();
  const [before, after] = t('errorWrongHost', { origin: '\u0000' }).split('\u0000/desk');
  return (
    <>
      {before}
      <a href={`${origin}/desk/`}>{`${origin}/desk`}</a>
      {after}
    </>
  );
}

const isCoded = (x: unknown): x is CodedMessage & { path?: string } =>
  typeof x === 'object' && x !== null && typeof (x as CodedMessage).code === 'string';

/**
 * A coded refusal in the UI's language, by its code (never the server's sentence when the desk words
 * the code): a `{code, params}` answer, or each problem of `errors` with its place. Empty when the
 * answer names no code the desk words.
 */
function codedText(body: unknown, t: Translate): string {
  const errors = (body as { errors?: unknown } | null)?.errors;
  const coded = Array.isArray(errors) ? errors.filter(isCoded) : isCoded(body) ? [body] : [];
  if (!coded.some((m) => isMessageKey(`msg.${m.code}`))) return '';
  return coded.map((m) => placedText({ ...m, message: m.message ?? '' }, t)).join(t('sentenceSep'));
}

/** A failed request as one sentence in the UI's language (the API's own words when it gave some). */
export function ErrorLine({ error }: { error: unknown }) {
  const { t } = useI18n();
  if (!error) return null;
  const origin = wrongHostOrigin(error);
  let text = t('requestFailed');
  if (isApiError(error)) {
    const key = BY_STATUS[error.status];
    const coded = codedText(error.body, t);
    if (coded) text = coded;
    else if (key) text = t(key);
    else if (!error.message.startsWith('status ')) text = error.message;
  }
  return (
    <p role="alert" className="error">
      {origin ? <WrongHost origin={origin} /> : text}
    </p>
  );
}
