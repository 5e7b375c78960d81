import { type Job, UnrecoverableError } from 'bullmq';
import { z } from 'zod';
import { pageStrings } from '../../../templates/locales/chrome-strings.ts';
import type { Config } from '../../config.ts';
import type { RateLimit } from '../../rate-limits.ts';
import { packPending } from '../subscriber-record.ts';
import type { SubscriberStore } from '../subscriber-store.ts';
import { ConfirmJob } from './confirm-queue.ts';
import { CONFIRM_DAYS, confirmToken } from './double-opt-in.ts';

/** A mail to compose and send: the confirmation as react-email renders it, with its sender and recipient. */
export interface ComposedMail {
  from: string;
  to: string;
  subject: string;
  html: string;
  text: string;
}

/** What sending a confirmation needs: the store, link and mail settings, a transport, the hourly ceiling. */
export interface ConfirmMailDeps {
  subscribers: SubscriberStore;
  config: Pick<Config, 'GAZETTE_SECRET' | 'PUBLIC_URL' | 'MAIL_FROM' | 'CONFIRM_MAIL_HOURLY_LIMIT'>;
  /** The server's mailer (createMailer's, src/send/wire/transport.ts), or any nodemailer transport. */
  mailer: { sendMail(mail: ComposedMail): Promise<unknown> };
  /** Confirmation mails per hour across every sign-up (key `all`). */
  mails: RateLimit;
  log: (message: string) => void;
}

/** `sent`; `already-subscribed`: nothing to confirm, no mail; `ceiling`: the hourly ceiling was reached, no mail. */
export type ConfirmMailOutcome = 'sent' | 'already-subscribed' | 'ceiling';

/**
 * Mails the confirmation link of one sign-up, then records it as the subscriber's pending
 * confirmation (a new address becomes a `pending` subscriber; anyone else keeps their status until
 * they confirm). Nothing is written before the relay took the mail, and the mail carries none of the
 * visitor's words. Throws when the mail cannot be sent (the job is tried again).
 */
export async function mailConfirmation(deps: ConfirmMailDeps, job: ConfirmJob): Promise<ConfirmMailOutcome> {
  const { subscribers, config } = deps;
  const existing = await subscribers.findByEmail(job.email);
  if (existing?.status === 'active') {
    const [lists = []] = await subscribers.listsOf([existing.id]);
    if (job.lists.every((l) => lists.includes(l))) return 'already-subscribed';
  }
  const allowed = await deps.mails.take('all');
  if (!allowed.ok) return 'ceiling';
  if (allowed.remaining === 0) {
    deps.log(
      `ALERT: ${config.CONFIRM_MAIL_HOURLY_LIMIT} confirmation mails sent within the hour (CONFIRM_MAIL_HOURLY_LIMIT); ` +
        `sign-ups get no mail for the next ${Math.ceil(allowed.resetIn / 60)} min. A sign-up flood?`,
    );
  }
  const id = existing?.id ?? (await subscribers.reserveId());
  const token = confirmToken(config.GAZETTE_SECRET, id, job.nonce, job.at);
  // react-email loads with the first confirmation mail, not at server start (it pulls in prismjs).
  const { renderConfirmEmail } = await import('../../../templates/transactional/confirm.tsx');
  const mail = await renderConfirmEmail({
    locale: job.locale,
    strings: pageStrings(job.locale).confirmMail,
    url: `${config.PUBLIC_URL}/confirm/${token}`,
    days: CONFIRM_DAYS,
  });
  await deps.mailer.sendMail({ from: config.MAIL_FROM, to: job.email, ...mail });
  // This request's confirmation replaces any earlier one: it carries exactly the lists it asked for.
  const pending = packPending(job);
  if (existing) {
    await subscribers.applyMany([{ id, change: { from: '', to: '', set: { q: pending } } }]);
  } else {
    const row = { email: job.email, name: job.name, locale: job.locale, status: 'pending' as const };
    // If another sign-up created the address meanwhile, its own link is the one that works.
    await subscribers.createMany([{ ...row, lists: [], pending }], [id]);
  }
  return 'sent';
}

/** The job processor of the `confirm` queue: parses the job data, then mailConfirmation. */
export function confirmMailProcessor(deps: ConfirmMailDeps) {
  return (job: Job): Promise<ConfirmMailOutcome> => {
    const data = ConfirmJob.safeParse(job.data);
    if (!data.success) throw new UnrecoverableError(`bad confirmation job: ${z.prettifyError(data.error)}`);
    return mailConfirmation(deps, data.data);
  };
}
