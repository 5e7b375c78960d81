import { useState } from 'react';
import { type NoticeSettings, useNoticeSettings, useSaveNoticeSettings } from '../api/conversation.ts';
import { heldBySecondFactor } from '../api/second-factor.ts';
import { useSignInMethods } from '../api/session.ts';
import { ErrorLine } from '../error-line.tsx';
import { type MessageKey, useI18n } from '../i18n/i18n.tsx';
import { DeviceSessionsSection } from './device-sessions-section.tsx';
import { PasskeySection } from './passkey-section.tsx';
import { TwoFactorSection } from './two-factor-section.tsx';

const KINDS: [keyof NoticeSettings, MessageKey][] = [
  ['reviewRequested', 'noticeReviewRequested'],
  ['changesRequested', 'noticeChangesRequested'],
  ['approved', 'noticeApproved'],
  ['sendFinished', 'noticeSendFinished'],
];

/**
 * The signed-in user's own settings: which notices come by mail, each stored as soon as it is ticked,
 * their second factors (an authenticator app and passkeys), and the devices signed in as them. With
 * passwords off (OIDC_ONLY) a passkey neither signs in nor confirms a sign-in, so none is offered.
 */
export function AccountPage() {
  const { t } = useI18n();
  const settings = useNoticeSettings();
  const save = useSaveNoticeSettings();
  const passwords = useSignInMethods().data?.password !== false;
  // The boxes show a change at once (a controlled box must not wait for the server); a refusal undoes it.
  const [ticked, setTicked] = useState<NoticeSettings | null>(null);
  const shown = ticked ?? settings.data;
  // Held back by the second-factor policy: the two-factor part below says so, in its own words.
  const held = heldBySecondFactor(settings.error);
  const change = (next: NoticeSettings) => {
    setTicked(next);
    save.mutate(next, { onError: () => setTicked(null) });
  };
  return (
    <section aria-labelledby="account-title">
      <h1 id="account-title">{t('accountTitle')}</h1>
      {!held && <ErrorLine error={settings.error} />}
      {shown && (
        <fieldset>
          <legend>{t('noticesLegend')}</legend>
          {KINDS.map(([kind, label]) => (
            <label key={kind} className="check-row">
              <input
                type="checkbox"
                checked={shown[kind]}
                onChange={(e) => change({ ...shown, [kind]: e.target.checked })}
              />{' '}
              {t(label)}
            </label>
          ))}
        </fieldset>
      )}
      <ErrorLine error={save.error} />
      <TwoFactorSection />
      {passwords && <PasskeySection />}
      <DeviceSessionsSection />
    </section>
  );
}
