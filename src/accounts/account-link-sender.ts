import { accountMailStrings } from '../../templates/locales/chrome-strings.ts';
import { type Config, deskOrigin } from '../config.ts';
import type { Locale } from '../issue/schema.ts';
import { type AccountLinkPurpose, INVITE_LINK_MS, RESET_LINK_MS } from './account-link-store.ts';
import { mailDeskUser, type NoticeMailer } from './desk-notices.ts';

/** The desk page a link opens: `/desk/reset/<token>` on the desk's origin (DESK_URL, else PUBLIC_URL's). */
export function accountLinkUrl(config: Pick<Config, 'DESK_URL' | 'PUBLIC_URL'>, token: string): string {
  return `${deskOrigin(config)}/desk/reset/${token}`;
}

/**
 * Mails a member the link that sets their password: a reset's words, or an invitation's naming
 * `inviter`. Rejects when the relay refuses (the caller decides whether someone is told).
 */
export async function mailAccountLink(
  deps: { config: Pick<Config, 'MAIL_FROM' | 'DESK_URL' | 'PUBLIC_URL'>; mailer: NoticeMailer },
  mail: {
    to: string;
    name: string;
    purpose: AccountLinkPurpose;
    token: string;
    locale: Locale;
    inviter?: string;
  },
): Promise<void> {
  // react-email loads with the first such mail, not at start (as the desk's notices do).
  const { renderAccountLinkMail } = await import('../../templates/transactional/account-link-mail.tsx');
  const rendered = await renderAccountLinkMail({
    locale: mail.locale,
    purpose: mail.purpose,
    strings: accountMailStrings(mail.locale),
    values: {
      name: mail.name || mail.to,
      inviter: mail.inviter ?? '',
      minutes: RESET_LINK_MS / 60_000,
      days: INVITE_LINK_MS / 86_400_000,
    },
    url: accountLinkUrl(deps.config, mail.token),
  });
  await mailDeskUser(deps, mail.to, rendered);
}
