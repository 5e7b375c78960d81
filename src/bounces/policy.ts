import type { Config } from '../config.ts';
import type { BounceKind } from './result.ts';

/** The bounce policy's settings (config keys BOUNCE_SOFT_LIMIT, BOUNCE_SOFT_DAYS, AUTO_PAUSE_*). */
export interface PolicySettings {
  /** Soft bounces of one address within `softDays` that suppress it. */
  softLimit: number;
  softDays: number;
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
    minMessages: config.AUTO_PAUSE_MIN_MESSAGES,
    hardRate: config.AUTO_PAUSE_HARD_RATE,
    complaintRate: config.AUTO_PAUSE_COMPLAINT_RATE,
  };
}

/** What one bounce event does to its address. */
export type BounceAction =
  | { suppress: true; status: 'bounced' | 'complained'; why: string }
  | { suppress: false; why: string };

/**
 * Decides the consequence of one bounce event: a hard bounce or a complaint suppresses the address at
 * once; a soft bounce suppresses it only when it is the `softLimit`-th within `softDays`
 * (`softCount` counts this event too). The address is marked `bounced` or `complained` with it.
 */
export function decideBounce(kind: BounceKind, softCount: number, s: PolicySettings): BounceAction {
  if (kind === 'hard') return { suppress: true, status: 'bounced', why: 'hard bounce' };
  if (kind === 'complaint') return { suppress: true, status: 'complained', why: 'complaint' };
  const window = `${softCount} soft bounce${softCount === 1 ? '' : 's'} in ${s.softDays} days`;
  if (softCount >= s.softLimit) return { suppress: true, status: 'bounced', why: window };
  return { suppress: false, why: `${window} (suppressed at ${s.softLimit})` };
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
