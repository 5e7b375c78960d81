import type { Redis } from 'ioredis';
import type { Config } from '../config.ts';
import type { SendStore } from '../send/send-store.ts';
import type { SubscriberStore } from '../subscribers/store.ts';
import type { BounceSource, NewBounceEvent } from './bounce-event.ts';
import { type BounceStore, createBounceStore } from './bounce-store.ts';
import { decideAutoPause, decideBounce, type PolicySettings, policySettings } from './policy.ts';
import type { BounceKind, BounceReason } from './result.ts';

/** One bounce or complaint about one address, from whichever path it came. */
export interface BounceInput {
  /** The address the event is about. */
  email: string;
  /** The subscriber, when a trusted source named them (VERP token, the delivery itself); else looked up by address. */
  subscriberId?: number | null;
  sendId?: string | null;
  kind: BounceKind;
  reason: BounceReason;
  status: string;
  diagnostic: string;
  source: BounceSource;
  code?: string;
  /** True when the send and subscriber come from a verified source (see BounceEvent.verified). */
  verified: boolean;
  /** Hash of the kept message, for a bounce mail. */
  raw?: string;
  /**
   * What makes this event the same event when it is seen again (e.g. `mail:<Message-ID>:<recipient>`,
   * `smtp:<send>:<subscriber>`, `ses:<feedback id>:<recipient>`): a repeat is recorded once.
   */
  identity: string;
}

/** What recording one event did. */
export interface BounceOutcome {
  /** False for a repeat of an event already recorded (nothing changed). */
  recorded: boolean;
  suppressed: boolean;
  /** What the policy did, in words (stored with the event). */
  action: string;
  subscriberId: number | null;
  /** Why the event's send paused itself, when this event made it do so. */
  paused: string | null;
}

/** What the policy needs. */
export interface BouncePolicyDeps {
  redis: Redis;
  config: Config;
  store: Pick<SubscriberStore, 'get' | 'findByEmail' | 'markBounced' | 'markComplained' | 'suppress'>;
  sends: Pick<SendStore, 'get' | 'state' | 'counts' | 'systemPause'>;
  log: (msg: string) => void;
  clock?: () => number;
  settings?: PolicySettings;
}

/**
 * The bounce policy applied to Redis: records each event once (repeats change nothing), suppresses
 * and marks the subscriber as `decideBounce` says, and pauses the event's send when `decideAutoPause`
 * says so. Every bounce path (relay replies while sending, bounce mail, SES, the generic webhook)
 * goes through `record`.
 */
export function createBouncePolicy(deps: BouncePolicyDeps) {
  const clock = deps.clock ?? Date.now;
  const settings = deps.settings ?? policySettings(deps.config);
  const bounces: BounceStore = createBounceStore({
    redis: deps.redis,
    prefix: deps.config.REDIS_PREFIX,
    rawDays: deps.config.BOUNCE_RAW_DAYS,
    softDays: settings.softDays,
  });

  async function autoPause(sendId: string): Promise<string | null> {
    const record = await deps.sends.get(sendId);
    if (record?.state !== 'sending') return null;
    const [stats, counts] = await Promise.all([bounces.sendStats(sendId), deps.sends.counts(sendId)]);
    const why = decideAutoPause(
      { messages: counts.delivered + counts.failed, hard: stats.hard, complaints: stats.complaint },
      settings,
    );
    if (!why) return null;
    // Once per send: a person who resumed it after it paused itself has judged the bounce rate.
    if (!(await deps.sends.systemPause(sendId, `paused automatically: ${why}`, 'bounce-rate'))) return null;
    deps.log(`send ${sendId} paused itself: ${why}; \`gazette resume ${sendId}\` continues it`);
    return why;
  }

  async function record(input: BounceInput): Promise<BounceOutcome> {
    const now = clock();
    const subscriber =
      input.subscriberId != null
        ? await deps.store.get(input.subscriberId)
        : await deps.store.findByEmail(input.email);
    const subscriberId = subscriber?.id ?? null;
    const email = subscriber?.email ?? input.email;
    // Counters and events are kept only for sends that exist (a webhook may name any id).
    const sendId = input.sendId && (await deps.sends.state(input.sendId)) !== null ? input.sendId : null;
    const reservation = await bounces.reserve(input.identity, email, input.kind, now);
    if (!reservation.fresh) {
      return { recorded: false, suppressed: false, action: 'already recorded', subscriberId, paused: null };
    }
    const decision = decideBounce(input.kind, reservation.softCount, settings);
    if (decision.suppress) {
      const info = {
        via: decision.status === 'complained' ? 'complaint' : 'bounce',
        by: `${input.source}:${input.reason}`,
        ...(sendId ? { sendId } : {}),
      };
      // Only the address the event is about (or the subscriber a trusted source named) is ever touched.
      if (!subscriber) await deps.store.suppress(email, decision.status);
      else if (decision.status === 'complained') await deps.store.markComplained(subscriber.id, info);
      else await deps.store.markBounced(subscriber.id, info);
    }
    const action = `${decision.suppress ? 'suppressed' : 'counted'}: ${decision.why}`;
    const event: NewBounceEvent = {
      at: now,
      email,
      subscriber: subscriberId,
      send: sendId,
      kind: input.kind,
      reason: input.reason,
      status: input.status,
      diagnostic: input.diagnostic,
      source: input.source,
      code: input.code ?? '',
      verified: input.verified,
      raw: input.raw ?? '',
    };
    const stored = await bounces.commit(input.identity, event, action);
    const paused = stored && sendId && input.kind !== 'soft' ? await autoPause(sendId) : null;
    return { recorded: stored, suppressed: decision.suppress, action, subscriberId, paused };
  }

  return { record, bounces, settings };
}

/** The bounce policy's interface (see createBouncePolicy). */
export type BouncePolicy = ReturnType<typeof createBouncePolicy>;
