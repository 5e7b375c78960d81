import { isApiError } from './api/http.ts';
import { ErrorLine } from './error-line.tsx';
import { useI18n } from './i18n/i18n.tsx';

/**
 * ErrorLine for a passkey ceremony: the API's refusals as ErrorLine words them, and the browser's
 * own failure (the dialog cancelled or timed out, no passkey on this device) as one sentence.
 */
export function PasskeyErrorLine({ error }: { error: unknown }) {
  const { t } = useI18n();
  if (!error || isApiError(error)) return <ErrorLine error={error} />;
  return (
    <p role="alert" className="error">
      {t('passkeyBrowserFailed')}
    </p>
  );
}
