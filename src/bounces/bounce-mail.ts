import type { Config } from '../config.ts';
import type { Subscriber } from '../subscribers/schema.ts';
import { oneLine } from '../text/one-line.ts';
import type { BounceInput, BouncePolicy } from './bounce-policy.ts';
import { classifyBounce } from './classify-bounce.ts';
import type { BounceKind, BounceResult } from './result.ts';
import { mailboxOf, readVerpToken, type VerpResult } from './verp.ts';

/** Whose address a result is applied to: the subscriber a valid VERP token names, or the address the bounce names. */
export interface BounceTarget {
  result: BounceResult;
  email: string;
  subscriberId: number | null;
  sendId: string | null;
  verified: boolean;
}

const SEVERITY: Record<BounceKind, number> = { complaint: 3, hard: 2, soft: 1 };

/**
 * Decides whom each result of a bounce mail is about. With a valid VERP token the mail is about the
 * one subscriber the token names (we send one recipient per message; a DSN may name a forwarding
 * address instead): the result naming their address, else the most severe one. Without a valid token,
 * each result is about the address it names and nobody else, with no send; a result naming no address
 * (a redacted complaint) then has no target. Pure.
 */
export function bounceTargets(
  results: readonly BounceResult[],
  verp: VerpResult,
  subscriber: Pick<Subscriber, 'id' | 'email'> | null,
): BounceTarget[] {
  if (verp.ok && subscriber) {
    const own = subscriber.email.toLowerCase();
    const result =
      results.find((r) => r.recipient.toLowerCase() === own) ??
      [...results].sort((a, b) => SEVERITY[b.kind] - SEVERITY[a.kind])[0];
    if (!result) return [];
    return [
      { result, email: subscriber.email, subscriberId: subscriber.id, sendId: verp.sendId, verified: true },
    ];
  }
  return results
    .filter((r) => r.recipient !== '')
    .map((result) => ({
      result,
      email: result.recipient,
      subscriberId: null,
      sendId: null,
      verified: false,
    }));
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
  policy: Pick<BouncePolicy, 'record'>;
  store: { get(id: number): Promise<Subscriber | null> };
  config: Pick<Config, 'GAZETTE_SECRET' | 'BOUNCE_DOMAIN'>;
  log: (msg: string) => void;
  clock?: () => number;
}

/**
 * Classifies one received bounce mail and applies the policy to each failed recipient (see
 * `bounceTargets`). `to` holds the envelope recipients; the first bounce address with a valid token
 * names the send and subscriber. A mail that is no bounce records nothing. Harmless to repeat.
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
  let results: BounceResult[];
  try {
    results = await classifyBounce(mail.raw);
  } catch (err) {
    // Reading it again will not help; it stays kept (BOUNCE_RAW_DAYS) for a person to look at.
    deps.log(`${name}: cannot read it (${(err as Error).message}); kept, nothing recorded`);
    return outcome;
  }
  outcome.results = results.length;
  if (results.length === 0) {
    deps.log(
      `${name} to ${oneLine(mail.to.join(', '), 500)}: not a bounce (no failed recipient); kept, nothing recorded`,
    );
    return outcome;
  }
  const subscriber = verp.ok ? await deps.store.get(verp.subscriberId) : null;
  if (!verp.ok || !subscriber) {
    const why = verp.ok ? `names subscriber ${verp.subscriberId}, who no longer exists` : `is ${verp.reason}`;
    deps.log(
      `${name}: its VERP token ${why}; classified by the recipients it names only (${oneLine(results.map((r) => r.recipient || '(redacted)').join(', '), 500)})`,
    );
  }
  const targets = bounceTargets(results, verp, subscriber);
  outcome.ignored = results.length - targets.length;
  const id = messageIdOf(mail.raw) ?? `sha256:${mail.hash}`;
  for (const t of targets) {
    const input: BounceInput = {
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
      identity: `mail:${id}:${t.email.toLowerCase()}:${t.result.kind}`,
    };
    const done = await deps.policy.record(input);
    if (!done.recorded) outcome.repeats += 1;
    else outcome.recorded += 1;
    if (done.suppressed) outcome.suppressed += 1;
  }
  return outcome;
}
