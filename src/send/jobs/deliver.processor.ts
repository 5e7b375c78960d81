import { DelayedError, type Job } from 'bullmq';
import type { BouncePolicy } from '../../bounces/policy.ts';
import { smtpBounceInput } from '../../bounces/sources/smtp-reply.ts';
import type { Config } from '../../config.ts';
import { type Audience, type AudienceMember, loadBatch } from '../audience.ts';
import type { RenderedMessage } from '../message/message-template.ts';
import { createSendContexts, type SendContext } from '../message/send-context.ts';
import type { Outcome, SendStore } from '../record/send-store.ts';
import { createSettleBuffer } from '../record/settle-buffer.ts';
import { createRelayRefusals } from '../wire/relay-refusals.ts';
import { classifyDeliveryError, failureWords } from '../wire/smtp-failure.ts';
import type { Mailer } from '../wire/transport.ts';
import { finishSend, type OnSendFinished } from './finish-send.ts';
import { DeliverJobData, parseJobData } from './queues.ts';

/** What the delivery processor needs. */
export interface DeliverDeps {
  sends: SendStore;
  subscribers: Audience;
  mailer: Mailer;
  /** Where final refusals go (src/bounces/policy.ts). */
  bounces: Pick<BouncePolicy, 'record'>;
  config: Config;
  log: (msg: string) => void;
  clock?: () => number;
  onFinished?: OnSendFinished;
  /** True once the worker is shutting down or has lost Redis: messages in flight finish, the rest of the batch is released. */
  stopping?: () => boolean;
}

/** What one delivery job did. */
export interface DeliverResult {
  sendId: string;
  delivered: number;
  failed: number;
  skipped: number;
  deferred: number;
  stopped?: 'paused' | 'cancelled' | 'missing';
}

type Stop = 'paused' | 'cancelled' | 'shutdown';
type SettleBuffer = ReturnType<typeof createSettleBuffer>;

/** A parked job looks again this often, in case nobody resumes it explicitly. */
const PARK_MS = 60_000;

/** Runs `fn` over `items` with at most `limit` calls in flight. */
async function forEachLimit<T>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < items.length) await fn(items[next++] as T);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
}

/**
 * The `deliver` job processor: sends one batch of a send to every recipient who is active, not
 * suppressed and not yet settled, recording each outcome right after the relay answers. 4xx
 * answers make the job fail for a retry with backoff (settled recipients are skipped then);
 * 5xx answers are final. A paused send parks the job; a cancelled one drops it.
 */
export function deliverProcessor(deps: DeliverDeps) {
  const contexts = createSendContexts(deps);
  // Twice the pool's connections: each connection finds its next message already waiting, even
  // while the other batch of this worker is loading. Only SMTP_MAX_CONNECTIONS are at the relay.
  const inFlight = 2 * deps.config.SMTP_MAX_CONNECTIONS;
  const refusals = createRelayRefusals();

  /** Gives the job back to the queue at once (no attempt used) for another worker to finish. */
  async function release(job: Job, token: string | undefined): Promise<never> {
    await job.moveToDelayed(Date.now(), token);
    throw new DelayedError();
  }

  async function park(job: Job, token: string | undefined, ctx: SendContext): Promise<never> {
    const sendId = ctx.record.id;
    await deps.sends.park(sendId, job.id as string);
    await job.moveToDelayed(Date.now() + PARK_MS, token);
    // A resume that ran between our check and the move did not see this job: look once more.
    if ((await deps.sends.state(sendId)) !== 'paused') await job.promote().catch(() => {});
    throw new DelayedError();
  }

  /** Pauses the send once the relay has refused us several times in a row; true if it is paused now. */
  async function refusedUs(sendId: string, words: string): Promise<boolean> {
    if (!refusals.refused(sendId)) return false;
    const reason = `paused automatically: the relay refused us (${words})`;
    if (await deps.sends.systemPause(sendId, reason)) {
      deps.log(
        `send ${sendId} paused itself: the relay refused us (${words}); \`gazette resume ${sendId}\` continues it`,
      );
    }
    return (await deps.sends.state(sendId)) === 'paused';
  }

  /**
   * Sends one recipient's message and queues its outcome; `deferred` leaves it for a retry and
   * `paused` also says the send paused itself because the relay keeps refusing us.
   */
  async function deliverOne(
    ctx: SendContext,
    member: AudienceMember,
    outcomes: SettleBuffer,
    lastAttempt: boolean,
  ): Promise<Outcome | 'deferred' | 'paused'> {
    const sendId = ctx.record.id;
    const edition = ctx.editionOf(member);
    let message: RenderedMessage;
    try {
      message = ctx.render(member, edition);
    } catch (err) {
      deps.log(`send ${sendId}: subscriber ${member.id} skipped: ${(err as Error).message}`);
      outcomes.add({ subscriberId: member.id, outcome: 'skipped', edition });
      return 'skipped';
    }
    try {
      await deps.mailer.send(message);
    } catch (err) {
      const failure = classifyDeliveryError(err, { lastAttempt });
      const words = failureWords(failure);
      if (failure.cause === 'relay' && (await refusedUs(sendId, words))) return 'paused';
      if (failure.decision === 'retry') return 'deferred';
      outcomes.add({ subscriberId: member.id, outcome: 'failed', cause: failure.cause, words, edition });
      if (failure.bounce) {
        // The bounce policy records it, suppresses a dead address and may pause the send.
        await deps.bounces.record(smtpBounceInput(sendId, member, { ...failure, bounce: failure.bounce }));
      }
      return 'failed';
    }
    refusals.accepted(sendId);
    outcomes.add({ subscriberId: member.id, outcome: 'delivered', edition });
    return 'delivered';
  }

  return async (job: Job<DeliverJobData>, token?: string): Promise<DeliverResult> => {
    const data = parseJobData(DeliverJobData, job.data);
    const result: DeliverResult = { sendId: data.sendId, delivered: 0, failed: 0, skipped: 0, deferred: 0 };
    const ctx = await contexts.get(data.sendId);
    if (!ctx) return { ...result, stopped: 'missing' };
    const state = await ctx.state();
    if (state === 'cancelled' || state === 'done' || state === null)
      return { ...result, stopped: 'cancelled' };
    if (state === 'paused') return park(job, token, ctx);
    if (deps.stopping?.()) return release(job, token);

    const settled = await deps.sends.settledOf(data.sendId, data.ids);
    const recipients = await loadBatch(
      deps.subscribers,
      data.ids.filter((_, i) => !settled[i]),
    );
    const lastAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
    const outcomes = createSettleBuffer(deps.sends, data.sendId);
    let stopped: Stop | undefined;
    await forEachLimit(recipients, inFlight, async (r) => {
      if (!r.sendable) {
        outcomes.add({ subscriberId: r.id, outcome: 'skipped' });
        result.skipped += 1;
        return;
      }
      if (stopped) return;
      const now = await ctx.state();
      if (now === 'paused' || now === 'cancelled') stopped = now;
      else if (deps.stopping?.()) stopped = 'shutdown';
      if (stopped) return;
      const outcome = await deliverOne(ctx, r.member, outcomes, lastAttempt);
      if (outcome === 'paused') stopped = 'paused';
      else result[outcome] += 1;
    });
    // Every outcome is in Redis before the job can complete, park or be retried.
    await outcomes.flush();

    if (stopped === 'paused') return park(job, token, ctx);
    if (stopped === 'shutdown') return release(job, token);
    if (stopped === 'cancelled') return { ...result, stopped };
    if (result.deferred > 0) {
      // A plain error: BullMQ retries it with backoff while attempts remain.
      throw new Error(`${result.deferred} message(s) deferred by the relay; trying again later`);
    }
    await finishSend(deps, data.sendId);
    return result;
  };
}
