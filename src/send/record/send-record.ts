import type { Locale } from '../../issue/schema.ts';
import type { FailureCause } from '../wire/smtp-failure.ts';
import type { SendState } from './send-state.ts';

/** A recipient's final outcome in a send; each is counted once per recipient. */
export type Outcome = 'delivered' | 'failed' | 'skipped';

/** One recipient's outcome as recorded; a failure carries its cause and the relay's words. */
export interface Settlement {
  subscriberId: number;
  outcome: Outcome;
  cause?: FailureCause;
  words?: string;
}

/** What is stored about a send (the compiled issue is kept apart, see `compiled`). */
export interface SendRecord {
  id: string;
  list: string;
  issue: number;
  subject: string;
  state: SendState;
  /** When the send is due (ms since epoch, UTC). */
  at: number;
  createdAt: number;
  startedAt: number | null;
  doneAt: number | null;
  /** Time of the last accepted message. */
  lastAt: number | null;
  fanoutDone: boolean;
  /** The last subscriber id the fan-out queued. */
  cursor: number;
  /** Members of the list when the send was created (the total until the fan-out has counted). */
  expected: number;
  /** The From header (MAIL_FROM when the send was created), so every worker sends the same. */
  from: string;
  /** A test send's address (it has no list). */
  testTo: string | null;
  /** Why a send was paused by the system rather than a person, if it was. */
  reason: string | null;
  /**
   * The send's editions, the default first (docs/architecture.md "Editions"); absent on sends made
   * before editions: one edition, the compiled issue's locale.
   */
  editions?: Locale[];
  /** 1 for the send itself; 2 and on while or after `gazette retry` delivers again. */
  pass?: number;
}

/** The counters of a send, kept by the workers. */
export interface SendCounts {
  total: number;
  delivered: number;
  failed: number;
  skipped: number;
  bounced: number;
}
