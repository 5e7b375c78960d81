import { isApiError } from './api/http.ts';
import { type MessageKey, useI18n } from './i18n/i18n.tsx';

const BY_STATUS: Record<number, MessageKey> = {
  0: 'errorNetwork',
  403: 'errorForbidden',
  404: 'errorNotFound',
  413: 'errorTooLarge',
  429: 'errorThrottled',
};

/** A failed request as one sentence in the UI's language (the API's own words when it gave some). */
export function ErrorLine({ error }: { error: unknown }) {
  const { t } = useI18n();
  if (!error) return null;
  let text = t('requestFailed');
  if (isApiError(error)) {
    const key = BY_STATUS[error.status];
    if (key) text = t(key);
    else if (!error.message.startsWith('status ')) text = error.message;
  }
  return (
    <p role="alert" className="error">
      {text}
    </p>
  );
}
