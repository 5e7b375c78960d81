import { z } from 'zod';
import type { Config } from '../config.ts';
import type { AnyRedis } from '../redis.ts';
import type { Subscriber } from '../subscribers/subscriber-schema.ts';
import type { SubscriberStore } from '../subscribers/subscriber-store.ts';
import { type BounceStore, createBounceStore, type Recorded } from './bounce-store.ts';
import { BounceKind, BounceReason } from './classify/result.ts';
import { BounceSource, type NewBounceEvent } from './event.ts';

// The decisions (pure) come first; applying them to Redis follows below.

/** The bounce policy's settings (config keys BOUNCE_SOFT_LIMIT, BOUNCE_SOFT_DAYS, AUTO_PAUSE_*). */
export interface PolicySettings {
  /** Soft bounces of one address within `softDays` that suppress it. */
  softLimit: number;
  softDays: number;
  /** Consecutive sends that soft-bounced for one address which suppress it. */
  softSends: number;
  /** A send is judged only once it has sent this many messages. */
  minMessages: number;
  /** Hard bounces per message sent above which a send pauses itself. */
  hardRate: number;
  /** Complaints per message sent above which a send pauses itself. */
  complaintRate: number;
}

/** The policy's settings from the configuration. */
export function policySettings(config: Config): PolicySettings {
  return {
    softLimit: config.BOUNCE_SOFT_LIMIT,
    softDays: config.BOUNCE_SOFT_DAYS,
    softSends: config.BOUNCE_SOFT_SENDS,
    minMessages: config.AUTO_PAUSE_MIN_MESSAGES,
    hardRate: config.AUTO_PAUSE_HARD_RATE,
    complaintRate: config.AUTO_PAUSE_COMPLAINT_RATE,
  };
}

/** What one bounce event does to its address. */
export type BounceAction =
  | { suppress: true; status: 'bounced' | 'complained'; why: string }
  | { suppress: false; why: string };

/** The soft count at which an event of this kind suppresses its address: at once (0) unless it is soft. */
export function suppressAt(kind: BounceKind, s: Pick<PolicySettings, 'softLimit'>): number {
  return kind === 'soft' ? s.softLimit : 0;
}

/**
 * Decides the consequence of one verified bounce event: a hard bounce or a complaint suppresses the
 * address at once; a soft bounce when it is the `softLimit`-th within `softDays` (`softCount`
 * counts this event too) or when its send is the `softSends`-th in a row that soft-bounced for the
 * address (`inARow`, this send included; a send delivered without a bounce in between resets it),
 * whichever comes first: a monthly newsletter never fills a 30-day window. The address is marked
 * `bounced` or `complained` with it.
 */
export function decideBounce(
  kind: BounceKind,
  softCount: number,
  s: PolicySettings,
  inARow = 0,
): BounceAction {
  if (kind === 'hard') return { suppress: true, status: 'bounced', why: 'hard bounce' };
  if (kind === 'complaint') return { suppress: true, status: 'complained', why: 'complaint' };
  const window = `${softCount} soft bounce${softCount === 1 ? '' : 's'} in ${s.softDays} days`;
  if (softCount >= suppressAt(kind, s)) return { suppress: true, status: 'bounced', why: window };
  if (inARow === 0) return { suppress: false, why: `${window} (suppressed at ${s.softLimit})` };
  const row = `soft bounces on ${inARow} send${inARow === 1 ? '' : 's'} in a row`;
  if (inARow >= s.softSends) return { suppress: true, status: 'bounced', why: row };
  const limits = `suppressed at ${s.softLimit} in ${s.softDays} days or ${s.softSends} sends in a row`;
  return { suppress: false, why: `${window}, ${row} (${limits})` };
}

/** A send's figures as auto-pause reads them. */
export interface SendFigures {
  /** Messages the relay took or refused for good (delivered + failed). */
  messages: number;
  hard: number;
  complaints: number;
}

/**
 * Decides whether a running send must pause itself: only after `minMessages` messages, when its
 * hard-bounce rate or its complaint rate passes the threshold. Returns the reason a person reads, or null.
 */
export function decideAutoPause(f: SendFigures, s: PolicySettings): string | null {
  if (f.messages < s.minMessages) return null;
  const rate = (n: number) => n / f.messages;
  const pct = (r: number) => `${(r * 100).toFixed(r < 0.01 ? 2 : 1)}%`;
  if (rate(f.hard) > s.hardRate) {
    return `hard-bounce rate ${pct(rate(f.hard))} (${f.hard} of ${f.messages} messages) passed ${pct(s.hardRate)}`;
  }
  if (rate(f.complaints) > s.complaintRate) {
    return `complaint rate ${pct(rate(f.complaints))} (${f.complaints} of ${f.messages} messages) passed ${pct(s.complaintRate)}`;
  }
  return null;
}

/** One bounce or complaint about one address, as every source (sources/) hands it to the policy. */
export const BounceInput = z.object({
  /** The address the event is about. */
  email: z.string().min(1).max(320),
  /** The subscriber a trusted source named (VERP token, the delivery itself); else looked up by address. */
  subscriberId: z.number().int().nullable().optional(),
  sendId: z.string().nullable().optional(),
  kind: BounceKind,
  reason: BounceReason,
  status: z.string(),
  diagnostic: z.string(),
  source: BounceSource,
  code: z.string().optional(),
  /**
   * True only when a valid VERP token naming this very address, a verified SNS signature, the
   * webhook's secret or our own delivery vouches for it. Unverified events act on nobody.
   */
  verified: z.boolean(),
  /** Hash of the kept message, for a bounce mail. */
  raw: z.string().optional(),
  /** What makes this the same event when it is seen again (`mail:<Message-ID>:<recipient>`, …). */
  identity: z.string().min(1),
});
export type BounceInput = z.infer<typeof BounceInput>;

/** What recording one event did. */
export interface BounceOutcome {
  /** False for a repeat of an event already recorded (nothing changed). */
  recorded: boolean;
  suppressed: boolean;
  /** What the policy did, in words. */
  action: string;
  subscriberId: number | null;
  /** Why the event's send paused itself, when this event made it do so. */
  paused: string | null;
}

/** The narrow view of sends the policy gets (bounces import nothing from src/send). */
export interface SendControl {
  /** Messages sent so far, and whether the send may still pause itself (running, never paused by it); null: no such send. */
  figures(id: string): Promise<{ messages: number; canPause: boolean } | null>;
  /** Pauses a running send, noting why; false when it was not running. */
  pause(id: string, reason: string): Promise<boolean>;
  /**
   * The sends (not tests) that reached `subscriberId` (it has an outcome in them), newest first,
   * from send `upTo` back, at most `limit`.
   */
  reached(subscriberId: number, upTo: string, limit: number): Promise<string[]>;
}

/** The bounce records as the config (and the policy's settings, if given) keep them. */
export function bounceStoreOf(
  redis: AnyRedis,
  config: Config,
  settings = policySettings(config),
): BounceStore {
  return createBounceStore({
    redis,
    prefix: config.REDIS_PREFIX,
    rawDays: config.BOUNCE_RAW_DAYS,
    softDays: settings.softDays,
    unverifiedDays: config.BOUNCE_UNVERIFIED_DAYS,
  });
}

/** What the policy needs. */
export interface BouncePolicyDeps {
  redis: AnyRedis;
  config: Config;
  subscribers: Pick<SubscriberStore, 'getMany' | 'findIds' | 'markBounced' | 'markComplained' | 'suppress'>;
  sends: SendControl;
  log: (msg: string) => void;
  clock?: () => number;
  settings?: PolicySettings;
  /** The bounce records; absent, the policy makes them from the config and its settings. */
  bounces?: BounceStore;
}

/**
 * The bounce policy applied to Redis: each event is recorded once by one script run (repeats change
 * nothing); a verified one suppresses and marks its subscriber as `decideBounce` says and may pause
 * its send (`decideAutoPause`); an unverified one is kept for review and touches nobody. Every bounce
 * path goes through `record` or `recordMany`.
 */
export function createBouncePolicy(deps: BouncePolicyDeps) {
  const clock = deps.clock ?? Date.now;
  const settings = deps.settings ?? policySettings(deps.config);
  const bounces = deps.bounces ?? bounceStoreOf(deps.redis, deps.config, settings);

  /** The subscribers verified inputs are about, in two pipelined round trips; unverified inputs get null. */
  async function subscribersOf(inputs: readonly BounceInput[]): Promise<(Subscriber | null)[]> {
    const byEmail = inputs.map((i) => (i.verified && i.subscriberId == null ? i.email : null));
    const found = await deps.subscribers.findIds(byEmail.filter((e): e is string => e !== null));
    let next = 0;
    const ids = inputs.map((i, n) =>
      !i.verified ? null : byEmail[n] === null ? i.subscriberId : found[next++],
    );
    const wanted = ids.filter((id): id is number => id != null);
    const got = await deps.subscribers.getMany(wanted);
    let k = 0;
    return ids.map((id) => (id == null ? null : (got[k++] ?? null)));
  }

  async function autoPause(sendId: string): Promise<string | null> {
    const [figures, stats] = await Promise.all([deps.sends.figures(sendId), bounces.sendStats(sendId)]);
    // A send a person resumed after it paused itself is theirs to judge: it never pauses itself twice.
    if (!figures?.canPause) return null;
    const why = decideAutoPause(
      { messages: figures.messages, hard: stats.hard, complaints: stats.complaint },
      settings,
    );
    if (!why || !(await deps.sends.pause(sendId, `paused automatically: ${why}`))) return null;
    deps.log(`send ${sendId} paused itself: ${why}; \`gazette resume ${sendId}\` continues it`);
    return why;
  }

  async function act(
    input: BounceInput,
    subscriber: Subscriber | null,
    sendId: string | null,
    done: Recorded,
    inARow: number,
  ): Promise<BounceOutcome> {
    const subscriberId = subscriber?.id ?? null;
    if (!done.fresh) {
      return { recorded: false, suppressed: false, action: 'already recorded', subscriberId, paused: null };
    }
    if (!input.verified) {
      return {
        recorded: true,
        suppressed: false,
        action: 'unverified: acts on nobody',
        subscriberId,
        paused: null,
      };
    }
    const decision = decideBounce(input.kind, done.softCount, settings, inARow);
    if (decision.suppress) {
      const info = {
        via: decision.status === 'complained' ? 'complaint' : 'bounce',
        by: `${input.source}:${input.reason}`,
        reason: decision.why,
        ...(sendId ? { sendId } : {}),
      };
      // Only the address the event is about (or the subscriber a trusted source named) is ever touched.
      if (!subscriber) await deps.subscribers.suppress(input.email, decision.status);
      else if (decision.status === 'complained') await deps.subscribers.markComplained(subscriber.id, info);
      else await deps.subscribers.markBounced(subscriber.id, info);
    }
    const action = `${decision.suppress ? 'suppressed' : 'counted'}: ${decision.why}`;
    return { recorded: true, suppressed: decision.suppress, action, subscriberId, paused: null };
  }

  /**
   * How many sends in a row, ending with this event's, soft-bounced for its subscriber (see
   * decideBounce); 0 for anything but a verified soft bounce of a known send and subscriber.
   */
  async function softSendsInARow(input: BounceInput, subscriber: Subscriber | null, send: string | null) {
    if (!input.verified || input.kind !== 'soft' || !subscriber || !send) return 0;
    const [reached, bounced] = await Promise.all([
      deps.sends.reached(subscriber.id, send, settings.softSends),
      bounces.softSends(subscriber.email),
    ]);
    bounced.add(send);
    const row = [send, ...reached.filter((id) => id !== send)];
    const stop = row.findIndex((id) => !bounced.has(id));
    return stop === -1 ? row.length : stop;
  }

  async function recordMany(inputs: readonly BounceInput[]): Promise<BounceOutcome[]> {
    const now = clock();
    const subscribers = await subscribersOf(inputs);
    // Counters are kept only for sends that exist (a webhook may name any id).
    const named = [...new Set(inputs.filter((x) => x.verified && x.sendId).map((x) => x.sendId as string))];
    const known = new Set(
      (await Promise.all(named.map(async (id) => ((await deps.sends.figures(id)) ? id : null)))).filter(
        Boolean,
      ),
    );
    const requests = inputs.map((input, i) => {
      const subscriber = subscribers[i] ?? null;
      const event: NewBounceEvent = {
        at: now,
        email: subscriber?.email ?? input.email,
        subscriber: subscriber?.id ?? null,
        send: input.verified && known.has(input.sendId ?? '') ? (input.sendId as string) : null,
        kind: input.kind,
        reason: input.reason,
        status: input.status,
        diagnostic: input.diagnostic,
        source: input.source,
        code: input.code ?? '',
        verified: input.verified,
        raw: input.raw ?? '',
      };
      return { identity: input.identity, event };
    });
    const rows = await Promise.all(
      requests.map((r, i) => softSendsInARow(inputs[i] as BounceInput, subscribers[i] ?? null, r.event.send)),
    );
    const recorded = await bounces.recordMany(
      requests.map((r, i) => ({
        ...r,
        // A streak that suppresses records the event as suppressing, like a full window does.
        suppressAt: (rows[i] ?? 0) >= settings.softSends ? 0 : suppressAt(r.event.kind, settings),
      })),
    );
    const outcomes: BounceOutcome[] = [];
    for (const [i, input] of inputs.entries()) {
      const { event } = requests[i] as { event: NewBounceEvent };
      const done = recorded[i] as Recorded;
      if (done.fresh && event.send && rows[i]) await bounces.noteSoftSend(event.email, event.send, now);
      outcomes.push(await act(input, subscribers[i] ?? null, event.send, done, rows[i] ?? 0));
    }
    const judge = new Set(
      inputs.filter((x, i) => known.has(x.sendId ?? '') && x.kind !== 'soft' && outcomes[i]?.recorded),
    );
    for (const sendId of new Set([...judge].map((x) => x.sendId as string))) {
      const paused = await autoPause(sendId);
      const first = inputs.findIndex((x) => judge.has(x) && x.sendId === sendId);
      if (paused && outcomes[first]) outcomes[first].paused = paused;
    }
    return outcomes;
  }

  /** Records one event (see recordMany). */
  async function record(input: BounceInput): Promise<BounceOutcome> {
    return (await recordMany([input]))[0] as BounceOutcome;
  }

  /**
   * An admin applies an unverified event by hand (`gazette bounces apply`): it is recorded again as
   * verified, about its address only, and the act is audited. Null when there is no such event.
   */
  async function applyUnverified(eventId: string, by: string): Promise<BounceOutcome | null> {
    const e = await bounces.unverified(eventId);
    if (!e) return null;
    const { email, kind, reason, status, diagnostic, source, raw } = e;
    const outcome = await record({
      ...{ email, kind, reason, status, diagnostic, source, raw },
      code: e.code,
      verified: true,
      identity: `applied:${eventId}`,
    });
    if (outcome.recorded) {
      const detail = `${email} ${kind}/${reason}: ${outcome.action}`;
      await bounces.audit({ at: clock(), by, action: 'bounce.apply', target: eventId, detail });
    }
    return outcome;
  }

  return { record, recordMany, applyUnverified, bounces, settings };
}

/** The bounce policy's interface (see createBouncePolicy). */
export type BouncePolicy = ReturnType<typeof createBouncePolicy>;
