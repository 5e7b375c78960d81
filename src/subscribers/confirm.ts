import { randomBytes } from 'node:crypto';
import type { Transporter } from 'nodemailer';
import type { Config } from '../config.ts';
import type { Locale } from '../issue/schema.ts';
import { signToken, verifyToken } from '../tokens.ts';
import { emailKey } from './email.ts';
import { type PendingConfirmation, packConsent, packPending } from './record.ts';
import type { ConsentSource, Subscriber } from './schema.ts';
import type { SubscriberStore } from './store.ts';
import { pageStrings } from './strings.ts';
import type { TokenRefusal } from './unsubscribe.ts';

/** How long a confirmation link works. */
export const CONFIRM_DAYS = 7;
/** At most one confirmation mail per address in this many seconds. */
const CONFIRM_MAIL_INTERVAL = 120;

/** What double opt-in needs: the store, the settings for links and mail, and a mail transport. */
export interface ConfirmDeps {
  store: SubscriberStore;
  config: Pick<Config, 'GAZETTE_SECRET' | 'PUBLIC_URL' | 'MAIL_FROM'>;
  mailer: Transporter;
}

/** A sign-up from the form or the API, already validated. `by` is the requester's IP address. */
export interface SubscribeRequest {
  email: string;
  name?: string;
  locale: Locale;
  lists: string[];
  source: Exclude<ConsentSource, 'import'>;
  by: string;
  wording: string;
}

/** `sent`: a confirmation mail went out; `already-subscribed`: nothing to confirm; `recently-sent`: throttled. */
export type SubscribeOutcome = 'sent' | 'already-subscribed' | 'recently-sent';

export type ConfirmResult =
  | { ok: true; outcome: 'confirmed' | 'already'; subscriber: Subscriber }
  | { ok: false; reason: TokenRefusal | 'used' };

/**
 * Starts a double opt-in: stores the request as a pending confirmation (a new address becomes a
 * `pending` subscriber; anyone else, including a person who unsubscribed, keeps their status until
 * they confirm) and mails a signed link in the subscriber's locale. Throws if the mail cannot be sent.
 */
export async function requestSubscription(
  deps: ConfirmDeps,
  req: SubscribeRequest,
): Promise<SubscribeOutcome> {
  const { store } = deps;
  const now = store.clock();
  const wordingId = await store.saveWording(req.wording);
  let subscriber = await store.findByEmail(req.email);
  if (subscriber?.status === 'active') {
    const [lists = []] = await store.listsOf([subscriber.id]);
    if (req.lists.every((l) => lists.includes(l))) return 'already-subscribed';
  }
  const previous = subscriber ? await store.pendingConfirmation(subscriber.id) : null;
  // A second request within the link's lifetime only adds lists to the first, so the first mail's
  // link still works and records what was agreed to then.
  const reuse = previous && now - previous.at < CONFIRM_DAYS * 86_400_000 ? previous : null;
  const pending = reuse
    ? { ...reuse, lists: [...new Set([...reuse.lists, ...req.lists])] }
    : {
        nonce: randomBytes(6).toString('hex'),
        lists: req.lists,
        at: now,
        by: req.by,
        wordingId,
        source: req.source,
      };
  if (!subscriber) {
    const record = { email: req.email, name: req.name ?? '', locale: req.locale, status: 'pending' as const };
    const [created] = await store.createMany([{ ...record, lists: [], pending: packPending(pending) }]);
    subscriber = created?.created ? await store.get(created.id) : null;
    if (!subscriber) return requestSubscription(deps, req); // created by someone else meanwhile
  } else {
    await store.applyMany([
      { id: subscriber.id, change: { from: '', to: '', set: { q: packPending(pending) } } },
    ]);
  }
  if (!(await store.claimConfirmationMail(req.email, CONFIRM_MAIL_INTERVAL))) return 'recently-sent';
  try {
    await sendConfirmation(deps, subscriber, pending.nonce, pending.at);
  } catch (err) {
    await store.releaseConfirmationMail(req.email, CONFIRM_MAIL_INTERVAL);
    throw err;
  }
  return 'sent';
}

async function sendConfirmation(
  deps: ConfirmDeps,
  s: Subscriber,
  nonce: string,
  since: number,
): Promise<void> {
  const expires = new Date(since + CONFIRM_DAYS * 86_400_000);
  const token = signToken(deps.config.GAZETTE_SECRET, 'confirm', [String(s.id), nonce], expires);
  // react-email loads on the first confirmation mail, not at server start (it pulls in prismjs).
  const { renderConfirmEmail } = await import('../../templates/transactional/confirm.tsx');
  const mail = await renderConfirmEmail({
    locale: s.locale,
    strings: pageStrings(s.locale).confirmMail,
    email: s.email,
    name: s.name,
    url: `${deps.config.PUBLIC_URL}/confirm/${token}`,
    days: CONFIRM_DAYS,
  });
  await deps.mailer.sendMail({ from: deps.config.MAIL_FROM, to: s.email, ...mail });
}

/** What a confirmation link names, read without changing anything (for the page that asks first). */
export type ConfirmationRead =
  | { ok: true; subscriber: Subscriber; pending: (PendingConfirmation & { packed: string }) | null }
  | { ok: false; reason: TokenRefusal | 'used' };

/** Checks a confirmation link and finds its subscriber; refused, used or replaced links say why. */
export async function readConfirmation(
  deps: Pick<ConfirmDeps, 'store' | 'config'>,
  token: string,
): Promise<ConfirmationRead> {
  const { store } = deps;
  const read = verifyToken(deps.config.GAZETTE_SECRET, 'confirm', token, store.clock());
  if (!read.ok) return read;
  const [id, nonce] = read.fields;
  if (read.fields.length !== 2 || !id || !/^[1-9]\d{0,15}$/.test(id))
    return { ok: false, reason: 'malformed' };
  const [subscriber, pending] = await Promise.all([
    store.get(Number(id)),
    store.pendingConfirmation(Number(id)),
  ]);
  if (!subscriber) return { ok: false, reason: 'used' };
  if (!pending || pending.nonce !== nonce) {
    return subscriber.status === 'active'
      ? { ok: true, subscriber, pending: null }
      : { ok: false, reason: 'used' };
  }
  return { ok: true, subscriber, pending };
}

/**
 * Confirms a subscription from the link in the confirmation mail: the subscriber becomes active on
 * the requested lists, their address leaves the suppression list, and consent is recorded (source,
 * time, the requester's IP, the wording). A refused, used or replaced link changes nothing.
 */
export async function confirmWithToken(
  deps: Pick<ConfirmDeps, 'store' | 'config'>,
  token: string,
): Promise<ConfirmResult> {
  const { store } = deps;
  const now = store.clock();
  const found = await readConfirmation(deps, token);
  if (!found.ok) return found;
  const { subscriber, pending } = found;
  if (!pending) return { ok: true, outcome: 'already', subscriber };
  const consent = packConsent({
    source: pending.source,
    at: now,
    by: pending.by,
    wordingId: pending.wordingId,
  });
  const [result] = await store.applyMany([
    {
      id: subscriber.id,
      change: {
        from: '',
        to: 'a',
        guard: ['q', pending.packed],
        set: { k: consent },
        del: ['q', 'x'],
        unsuppress: emailKey(subscriber.email),
      },
      lists: pending.lists,
    },
  ]);
  if (!result?.applied) return { ok: false, reason: 'used' };
  const confirmed = await store.get(subscriber.id);
  return confirmed
    ? { ok: true, outcome: 'confirmed', subscriber: confirmed }
    : { ok: false, reason: 'used' };
}
