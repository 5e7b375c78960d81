import { randomBytes } from 'node:crypto';
import type { Queue } from 'bullmq';
import { pageStrings } from '../../../templates/locales/chrome-strings.ts';
import type { Config } from '../../config.ts';
import { LOCALES, type Locale } from '../../issue/schema.ts';
import { mailboxKey } from '../email.ts';
import { DEFAULT_LIST } from '../subscriber-schema.ts';
import type { SubscriberStore } from '../subscriber-store.ts';
import { type ConfirmJob, confirmJobOptions } from './confirm-queue.ts';
import type { SignupLimits } from './signup-limits.ts';

/** The sign-up machinery: the limits a request must pass and the queue its confirmation mail goes to. */
export interface Signups {
  limits: SignupLimits;
  queue: Queue<ConfirmJob>;
}

/** What taking a sign-up needs. */
export interface TakeSignupDeps {
  subscribers: SubscriberStore;
  signups: Signups;
  config: Pick<Config, 'PUBLIC_URL'>;
}

/** A validated sign-up from the form or the API; `by` is the client IP, `wording` the id the form sent. */
export interface SignupRequest {
  email: string;
  name: string;
  locale: Locale;
  lists: string[];
  source: ConfirmJob['source'];
  by: string;
  wording?: string;
}

/** `queued`; or refused: a wording that is not ours, unknown lists, or a limit (seconds to wait). */
export type SignupAnswer =
  | { ok: true }
  | { ok: false; reason: 'wording'; wording: string }
  | { ok: false; reason: 'lists'; unknown: string[] }
  | { ok: false; reason: 'limit'; retryAfter: number };

/** The wording ids our forms show, each with its locale (stored once; cached by the subscriber store). */
export async function ourWordings(subscribers: SubscriberStore): Promise<Map<string, Locale>> {
  const ids = await Promise.all(
    LOCALES.map((l) => subscribers.saveWording(pageStrings(l).subscribe.consent)),
  );
  return new Map(ids.map((id, i) => [id, LOCALES[i] as Locale]));
}

/**
 * The first sign-up limit a request runs into (client IP, then mailbox, then the hourly ceiling on
 * confirmation mails): seconds to wait, or null. Nothing here depends on whether the address is known.
 */
async function limitReached(limits: SignupLimits, ip: string, email: string): Promise<number | null> {
  for (const take of [() => limits.ip.take(ip), () => limits.mailbox.take(mailboxKey(email))]) {
    const result = await take();
    if (!result.ok) return result.retryAfter;
  }
  const ceiling = await limits.mails.peek('all');
  return ceiling.ok ? null : ceiling.retryAfter;
}

/**
 * Checks a sign-up against our wordings, the lists and the limits, then queues its confirmation
 * mail. Whether the address is known is decided by the job, off the request path, so this takes the
 * same time for a member and a stranger; nothing about the address is stored here. Throws when Redis
 * fails (nothing is queued then).
 */
export async function takeSignup(deps: TakeSignupDeps, req: SignupRequest): Promise<SignupAnswer> {
  const wordings = await ourWordings(deps.subscribers);
  if (req.wording !== undefined && !wordings.has(req.wording))
    return { ok: false, reason: 'wording', wording: req.wording };
  const known = await deps.subscribers.listNames();
  const unknown = req.lists.filter((l) => l !== DEFAULT_LIST && !known.includes(l));
  if (unknown.length > 0) return { ok: false, reason: 'lists', unknown };
  const retryAfter = await limitReached(deps.signups.limits, req.by, req.email);
  if (retryAfter !== null) return { ok: false, reason: 'limit', retryAfter };
  const wordingId =
    req.wording ?? (await deps.subscribers.saveWording(pageStrings(req.locale).subscribe.consent));
  const nonce = randomBytes(6).toString('hex');
  const job: ConfirmJob = {
    nonce,
    email: req.email,
    name: req.name,
    locale: req.locale,
    lists: req.lists.length > 0 ? req.lists : [DEFAULT_LIST],
    source: req.source,
    by: req.by,
    wordingId,
    // The form that shows this wording: what the consent record points to.
    formUrl: `${deps.config.PUBLIC_URL}/subscribe?lang=${wordings.get(wordingId) ?? req.locale}`,
    at: deps.subscribers.clock(),
  };
  await deps.signups.queue.add('confirm', job, { ...confirmJobOptions, jobId: `c${nonce}` });
  return { ok: true };
}
