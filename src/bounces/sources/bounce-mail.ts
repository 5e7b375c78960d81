import type { Config } from '../../config.ts';
import type { Subscriber } from '../../subscribers/subscriber-schema.ts';
import { oneLine } from '../../text/one-line.ts';
import type { BounceClassifier } from '../bounce-classifier.ts';
import type { BounceStore } from '../bounce-store.ts';
import type { BounceResult } from '../classify/result.ts';
import type { BounceInput, BouncePolicy } from '../policy.ts';
import { mailboxOf, readVerpToken, type VerpResult } from './verp.ts';

/** Whose address a result is about, and whether a valid VERP token vouches for it. */
export interface BounceTarget {
  result: BounceResult;
  email: string;
  subscriberId: number | null;
  sendId: string | null;
  verified: boolean;
}

/** Results of one unverified mail that are recorded for review; the rest are only counted in the log. */
export const UNVERIFIED_CAP = 50;

/**
 * Decides whom each result of a bounce mail is about. A result is verified only when the mail's VERP
 * token is valid, names an existing subscriber, and the result names that subscriber's own address
 * (or, a redacted complaint, no address at all): it is then about that subscriber and send. Every other
 * result is unverified, about the address it names and nobody else, with no send (issue 9: a forged
 * DSN listing 300 addresses, or a valid token beside another address, must change nobody). Pure.
 */
export function bounceTargets(
  results: readonly BounceResult[],
  verp: VerpResult,
  subscriber: Pick<Subscriber, 'id' | 'email'> | null,
): BounceTarget[] {
  const own = subscriber?.email.toLowerCase();
  const vouched = (r: BounceResult) =>
    verp.ok &&
    own !== undefined &&
    (r.recipient.toLowerCase() === own || (r.recipient === '' && r.kind === 'complaint'));
  const targets: BounceTarget[] = [];
  for (const result of results) {
    if (verp.ok && subscriber && vouched(result)) {
      if (targets.some((t) => t.verified)) continue;
      targets.push({
        result,
        email: subscriber.email,
        subscriberId: subscriber.id,
        sendId: verp.sendId,
        verified: true,
      });
    } else if (result.recipient !== '' && targets.filter((t) => !t.verified).length < UNVERIFIED_CAP) {
      targets.push({ result, email: result.recipient, subscriberId: null, sendId: null, verified: false });
    }
  }
  return targets;
}

/** The Message-ID of a raw message (from its header block), or null; used to tell a repeat of the same bounce. */
export function messageIdOf(raw: Buffer): string | null {
  const head = raw.subarray(0, 64 * 1024).toString('latin1');
  const end = head.search(/\r?\n\r?\n|\r\r/);
  const unfolded = (end < 0 ? head : head.slice(0, end)).replace(/\r?\n[ \t]+|\r[ \t]+/g, ' ');
  const match = /^message-id:\s*<?([^\s<>]+)>?/im.exec(unfolded);
  return match?.[1] ?? null;
}

/** What handling one bounce mail did. */
export interface BounceMailResult {
  /** Failed recipients the classifier found (0: not a bounce). */
  results: number;
  recorded: number;
  repeats: number;
  suppressed: number;
  /** Results left alone: no address to apply them to, or other addresses than a verified subscriber's. */
  ignored: number;
  /** What the envelope's VERP token said. */
  verp: VerpResult;
}

/** What handling bounce mail needs. */
export interface BounceMailDeps {
  policy: Pick<BouncePolicy, 'recordMany'>;
  subscribers: { get(id: number): Promise<Subscriber | null> };
  bounces: Pick<BounceStore, 'dropRaw'>;
  classifier: Pick<BounceClassifier, 'classify'>;
  config: Pick<Config, 'GAZETTE_SECRET' | 'BOUNCE_DOMAIN'>;
  log: (msg: string) => void;
  clock?: () => number;
}

/**
 * Classifies one received bounce mail and hands each failed recipient to the policy (see
 * `bounceTargets`). `to` holds the envelope recipients; the first bounce address with a valid token
 * names the send and subscriber. A mail that is no bounce records nothing and its kept copy is
 * dropped (junk is never stored whole); one that cannot be read, or not within the classifier's
 * budget, records nothing and stays kept for a person (it is not tried again). Harmless to repeat.
 */
export async function handleBounceMail(
  deps: BounceMailDeps,
  mail: { raw: Buffer; hash: string; to: readonly string[] },
): Promise<BounceMailResult> {
  const tokens = mail.to.map((a) => mailboxOf(a, deps.config)).filter((m) => m?.kind === 'bounce');
  const verps = tokens.map((m) => readVerpToken(deps.config.GAZETTE_SECRET, m?.token ?? '', deps.clock?.()));
  const verp = verps.find((v) => v.ok) ?? verps[0] ?? { ok: false, reason: 'missing' };
  const name = `bounce mail ${mail.hash.slice(0, 12)}`;
  const outcome: BounceMailResult = { results: 0, recorded: 0, repeats: 0, suppressed: 0, ignored: 0, verp };
  const classified = await deps.classifier.classify(mail.raw);
  if (classified.outcome !== 'classified') {
    // Reading it again will not help; it stays kept (BOUNCE_RAW_DAYS) for a person to look at.
    const why =
      classified.outcome === 'over-budget'
        ? `took over ${classified.budgetMs} ms to read`
        : `cannot read it (${classified.reason})`;
    deps.log(`${name}: ${why}; kept unclassified, nothing recorded`);
    return outcome;
  }
  let results: BounceResult[] = classified.results;
  // A delay warning is no failure yet: nobody is counted for it.
  results = results.filter((r) => r.action !== 'delayed');
  outcome.results = results.length;
  if (results.length === 0) {
    await deps.bounces.dropRaw(mail.hash);
    deps.log(
      `${name} to ${oneLine(mail.to.join(', '), 500)}: not a bounce (no failed recipient); dropped, nothing recorded`,
    );
    return outcome;
  }
  const subscriber = verp.ok ? await deps.subscribers.get(verp.subscriberId) : null;
  if (!verp.ok || !subscriber) {
    const why = verp.ok ? `names subscriber ${verp.subscriberId}, who no longer exists` : `is ${verp.reason}`;
    deps.log(
      `${name}: its VERP token ${why}; recorded as unverified, acting on nobody (${results.length} recipient(s))`,
    );
  }
  const targets = bounceTargets(results, verp, subscriber);
  outcome.ignored = results.length - targets.length;
  const id = messageIdOf(mail.raw) ?? `sha256:${mail.hash}`;
  const inputs = targets.map(
    (t): BounceInput => ({
      email: t.email,
      subscriberId: t.subscriberId,
      sendId: t.sendId,
      kind: t.result.kind,
      reason: t.result.reason,
      status: t.result.status,
      diagnostic: t.result.diagnostic,
      source: 'mail',
      verified: t.verified,
      raw: mail.hash,
      // Verified and unverified identities differ, so a forged copy can never pre-empt a genuine bounce.
      identity: `mail:${t.verified ? 'v' : 'u'}:${id}:${t.email.toLowerCase()}:${t.result.kind}`,
    }),
  );
  for (const done of await deps.policy.recordMany(inputs)) {
    if (!done.recorded) outcome.repeats += 1;
    else outcome.recorded += 1;
    if (done.suppressed) outcome.suppressed += 1;
  }
  return outcome;
}
