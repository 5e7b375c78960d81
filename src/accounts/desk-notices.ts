import MailComposer from 'nodemailer/lib/mail-composer';
import { deskMailStrings } from '../../templates/locales/chrome-strings.ts';
import type { DeskNoticeKind } from '../../templates/transactional/desk-notice.tsx';
import { type Config, deskOrigin } from '../config.ts';
import type { Role } from '../roles.ts';
import type { UserStore } from './user-store.ts';

/** What a notice needs of a mailer: hand one raw message to the relay (the send's Mailer fits). */
export interface NoticeMailer {
  send(message: {
    raw: Buffer;
    envelope: { from: string; to: string[] };
    messageId: string;
  }): Promise<string>;
}

/** A rendered mail: its subject, HTML and plain-text part. */
export interface DeskMail {
  subject: string;
  html: string;
  text: string;
}

/** Builds `mail` from MAIL_FROM to `to` and hands it to the relay; rejects when the relay refuses. */
export async function mailDeskUser(
  deps: { config: Pick<Config, 'MAIL_FROM'>; mailer: NoticeMailer },
  to: string,
  mail: DeskMail,
): Promise<void> {
  const node = new MailComposer({ from: deps.config.MAIL_FROM, to, ...mail }).compile();
  const raw = await node.build();
  const envelope = node.getEnvelope() as { from: string; to: string[] };
  await deps.mailer.send({ raw, envelope, messageId: node.messageId() });
}

/** What fills a notice's words: the issue, its subject, who did it, a send's figures. */
export type NoticeValues = Record<string, string | number>;

/** Who gets a notice: everyone holding a role, or the named accounts. */
export type NoticeAudience = { role: Role } | { emails: string[] };

/** The notifier's dependencies, from the composition root. */
export interface DeskNoticeDeps {
  config: Pick<Config, 'MAIL_FROM' | 'DEFAULT_LOCALE' | 'DESK_URL' | 'PUBLIC_URL'>;
  users: Pick<UserStore, 'list' | 'notices'>;
  mailer: NoticeMailer;
  log: (message: string) => void;
}

/**
 * Mails desk users about their issues (issue 18): a review asked for (editors), changes asked for
 * (the writers who asked for that review, with the comment), an approval (senders), a finished send
 * (everyone who worked on it). Each user may turn each kind off; the
 * one who did it is not told. Words in DEFAULT_LOCALE; a failed mail is logged, never thrown: a
 * notice must not undo or stall the step it reports.
 */
export function createDeskNotifier(deps: DeskNoticeDeps) {
  async function recipients(kind: DeskNoticeKind, audience: NoticeAudience, except: string) {
    const all = await deps.users.list();
    const chosen =
      'role' in audience
        ? all.filter((u) => u.roles.includes(audience.role))
        : all.filter((u) => audience.emails.includes(u.email));
    const wanted = await Promise.all(
      chosen.map(async (u) => (u.email !== except && (await deps.users.notices(u.email))?.[kind] ? u : null)),
    );
    return wanted.filter((u) => u !== null);
  }

  return {
    /**
     * Mails `kind` to `audience` but `except` (the actor's id), with `comment` quoted when given;
     * resolves with the addresses mailed.
     */
    async notify(
      kind: DeskNoticeKind,
      audience: NoticeAudience,
      issue: number,
      values: NoticeValues,
      except = '',
      comment?: string,
    ): Promise<string[]> {
      const to = await recipients(kind, audience, except);
      if (to.length === 0) return [];
      const locale = deps.config.DEFAULT_LOCALE;
      // react-email loads with the first notice, not at start (as the confirmation mail does).
      const { renderDeskNotice } = await import('../../templates/transactional/desk-notice.tsx');
      const mail = await renderDeskNotice({
        locale,
        kind,
        strings: deskMailStrings(locale),
        values: { number: issue, ...values },
        comment,
        // The button leads to the issue's page on the desk.
        url: `${deskOrigin(deps.config)}/desk/issues/${issue}`,
      });
      const sent: string[] = [];
      for (const user of to) {
        try {
          await mailDeskUser(deps, user.email, mail);
          sent.push(user.email);
        } catch (err) {
          deps.log(`desk notice ${kind} to ${user.email} failed: ${(err as Error).message}`);
        }
      }
      return sent;
    },
  };
}

/** The desk notifier's interface (see createDeskNotifier). */
export type DeskNotifier = ReturnType<typeof createDeskNotifier>;
