import { randomBytes } from 'node:crypto';
import { Job } from 'bullmq';
import type { CompiledIssue } from '../../compose/compiled.ts';
import { compileIssue } from '../../compose/render.ts';
import type { Config } from '../../config.ts';
import { GazetteError } from '../../errors.ts';
import { checkEdition, loadEditions } from '../../issue/editions/edition-files.ts';
import { IssueError } from '../../issue/load.ts';
import type { Issue, Locale } from '../../issue/schema.ts';
import { JOB } from '../../queue-names.ts';
import type { Audience } from '../audience.ts';
import { fanoutJobOptions, type Queues } from '../jobs/queues.ts';
import { isSafeAddress } from '../message/header-text.ts';
import { buildMessageTemplate, type MessageTemplate } from '../message/message-template.ts';
import { messageMaker, templateOptions } from '../message/send-context.ts';
import type { SendRecord, SendState, SendStore } from '../record/send-store.ts';
import { classifyDeliveryError, failureWords } from '../wire/smtp-failure.ts';
import type { Mailer } from '../wire/transport.ts';
import { assertNotSentBefore } from './previous-send.ts';
import { parseSendTime } from './send-time.ts';

/** What scheduling and controlling sends need. */
export interface ScheduleDeps {
  sends: SendStore;
  subscribers: Pick<Audience, 'listSize'>;
  queues: Queues;
  config: Config;
  clock?: () => number;
  /** Fills a ranking that names an earlier issue (`"ranking": {"from": N}`) from its clicks. */
  fillRanking?: (issue: Issue) => Promise<Issue>;
}

/**
 * Where a send's issue comes from (docs/architecture.md "Editions"): the default edition's JSON file
 * and every `<n>.<locale>.json` beside it, or those of `editions` (the CLI); one issue already parsed;
 * or parsed editions of one number, the default edition first (the desk's store).
 */
export type IssueSource =
  | { issueFile: string; editions?: Locale[] | undefined }
  | { issue: Issue }
  | { editions: Issue[] };

/** The editions of a source, the default first, each checked against it as `gazette validate` does. */
async function editionsOf(source: IssueSource): Promise<Issue[]> {
  if ('issueFile' in source) {
    return (await loadEditions(source.issueFile, { checkImages: true, only: source.editions })).editions;
  }
  if ('issue' in source) return [source.issue];
  const [base, ...others] = source.editions;
  if (!base) throw new GazetteError('A send needs at least one edition.', { code: 'E_EDITIONS' });
  for (const edition of others) {
    const { errors } = checkEdition(base, edition);
    if (errors.length > 0) throw new IssueError(`edition ${edition.locale}`, errors);
  }
  return source.editions;
}

function rank(deps: { fillRanking?: (issue: Issue) => Promise<Issue> }, issue: Issue): Promise<Issue> {
  return deps.fillRanking ? deps.fillRanking(issue) : Promise.resolve(issue);
}

/** Ranks (see ScheduleDeps.fillRanking) and compiles each edition: once per edition, never per reader. */
async function compileEditions(
  deps: Pick<ScheduleDeps, 'config' | 'fillRanking'>,
  issues: readonly Issue[],
): Promise<CompiledIssue[]> {
  const editions = await Promise.all(issues.map((e) => rank(deps, e)));
  const options = { publicUrl: deps.config.PUBLIC_URL, tracking: deps.config.TRACKING };
  const compiled: CompiledIssue[] = [];
  for (const edition of editions) compiled.push(await compileIssue(edition, options));
  return compiled;
}

/** A new send id: lower-case, starts with a letter, short enough for a VERP local part. */
export function newSendId(now: number): string {
  return `s${now.toString(36)}${randomBytes(3).toString('hex')}`;
}

const LIST_NAME = /^[a-z0-9][a-z0-9_.-]{0,63}$/;

/** A new send's record; the caller sets its list, state and test address. */
function newRecord(
  config: Config,
  now: number,
  at: number,
  editions: readonly CompiledIssue[],
  expected: number,
) {
  const issue = editions[0] as CompiledIssue;
  return {
    id: newSendId(now),
    issue: issue.number,
    subject: issue.subject,
    editions: editions.map((e) => e.locale),
    from: config.MAIL_FROM,
    at,
    createdAt: now,
    startedAt: null,
    doneAt: null,
    lastAt: null,
    fanoutDone: false,
    cursor: 0,
    expected,
    reason: null,
  };
}

/** Builds the send's message templates now, so that a bad MAIL_FROM is refused here, not in a worker. */
function checkedTemplates(record: SendRecord, compiled: readonly CompiledIssue[]): MessageTemplate[] {
  try {
    return compiled.map((c) => buildMessageTemplate(c, templateOptions(record)));
  } catch (err) {
    throw new GazetteError(`${(err as Error).message}; set MAIL_FROM to e.g. "Gazette <news@example.com>".`, {
      code: 'E_MAIL_FROM',
    });
  }
}

/** A send checked and compiled, not stored yet (see prepareSend). */
export interface PreparedSend {
  record: SendRecord;
  /** Each edition compiled, the default first (the order of `record.editions`). */
  compiled: CompiledIssue[];
  /** Sent on purpose although the issue already went to the list (no already-sent check). */
  resend: boolean;
}

/**
 * Checks and compiles a send without storing anything: validates and compiles the issue, checks
 * the list and the time (`at`, now when absent; a time without offset is read in TZ_DEFAULT), and
 * unless `resend`, that the issue has not gone (nor is going) to that list. Throws IssueError for
 * an invalid issue, AlreadySentError for a repeat, and GazetteError for a bad time, list name,
 * MAIL_FROM or an empty list.
 */
export async function prepareSend(deps: ScheduleDeps, input: SendInput): Promise<PreparedSend> {
  const now = (deps.clock ?? Date.now)();
  const at = parseSendTime(input.at, deps.config.TZ_DEFAULT, now);
  const list = input.list.trim().toLowerCase();
  if (!LIST_NAME.test(list)) {
    throw new GazetteError(`"${input.list}" is not a list name (letters, digits, - _ . only).`, {
      code: 'E_LIST',
      params: { list: input.list },
    });
  }
  const compiled = await compileEditions(deps, await editionsOf(input));
  const number = (compiled[0] as CompiledIssue).number;
  if (!input.resend) await assertNotSentBefore(deps, number, list);
  const members = await deps.subscribers.listSize(list);
  if (members === 0) {
    throw new GazetteError(
      `The list "${list}" has no subscribers, so there is no one to send to; add some with \`gazette subscribers import <file> --list ${list}\`.`,
      { code: 'E_EMPTY_LIST', params: { list } },
    );
  }
  const record: SendRecord = {
    ...newRecord(deps.config, now, at, compiled, members),
    list,
    state: 'scheduled',
    testTo: null,
  };
  checkedTemplates(record, compiled);
  return { record, compiled, resend: input.resend === true };
}

/**
 * Holds the right to schedule `issue` to `list` (see SendStore.claimSchedule), waiting up to 10 s
 * for another scheduler of the same issue and list to finish; throws when it does not.
 */
async function claimSchedule(deps: ScheduleDeps, issue: number, list: string): Promise<() => Promise<void>> {
  for (let tries = 0; tries < 100; tries++) {
    const release = await deps.sends.claimSchedule(issue, list);
    if (release) return release;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new GazetteError(
    `Another send of issue ${issue} to list ${list} is being scheduled right now; try again in a moment.`,
    { code: 'E_BUSY', params: { number: issue, list } },
  );
}

/**
 * Stores a prepared send and schedules its fan-out. Unless it is a resend, the already-sent check
 * runs again under a claim on the issue and list, so two sends started together cannot both pass
 * it. The job goes first, under the send's id: a send can never be stored without the job that
 * starts it, and a job whose record could not be stored finds none and ends (see RECORD_GRACE_MS).
 */
export async function scheduleSend(
  deps: ScheduleDeps,
  { record, compiled, resend }: PreparedSend,
): Promise<SendRecord> {
  const release = resend ? null : await claimSchedule(deps, record.issue, record.list);
  try {
    if (!resend) await assertNotSentBefore(deps, record.issue, record.list);
    const delay = record.at - (deps.clock ?? Date.now)();
    await deps.queues.send.add(JOB.fanout, { sendId: record.id }, fanoutJobOptions(record.id, delay));
    try {
      await deps.sends.create(record, compiled);
    } catch (err) {
      await deps.queues.send.remove(record.id).catch(() => 0);
      throw err;
    }
    return record;
  } finally {
    await release?.();
  }
}

/** What a send is asked for: its issue's editions, the list, when, and whether it is a resend. */
export type SendInput = IssueSource & { list: string; at?: string | undefined; resend?: boolean | undefined };

/** Prepares and schedules a send in one go (see prepareSend and scheduleSend). */
export async function createSend(deps: ScheduleDeps, input: SendInput): Promise<SendRecord> {
  return scheduleSend(deps, await prepareSend(deps, input));
}

/**
 * Sends one test message of an issue to `to` straight away, through the same message builder and
 * transport as a real send, with the subject prefixed `[TEST]`. Recorded as a send of its own.
 */
export async function sendTest(
  deps: Omit<ScheduleDeps, 'subscribers' | 'queues'> & { mailer: Mailer },
  input: IssueSource & { to: string },
): Promise<SendRecord> {
  const to = input.to.trim();
  if (!isSafeAddress(to)) {
    throw new GazetteError(`--test "${input.to}" is not an e-mail address Gazette can send to.`, {
      code: 'E_TEST_ADDRESS',
      params: { address: input.to },
    });
  }
  const now = (deps.clock ?? Date.now)();
  // A test shows the default edition: the one every reader without an edition of their own gets.
  const [base] = await editionsOf(input);
  const [compiled] = (await compileEditions(deps, base ? [base] : [])) as [CompiledIssue];
  const record: SendRecord = {
    ...newRecord(deps.config, now, now, [compiled], 1),
    list: '',
    state: 'sending',
    testTo: to,
    startedAt: now,
  };
  const [template] = checkedTemplates(record, [compiled]) as [MessageTemplate];
  await deps.sends.create(record, compiled);
  await deps.sends.advance(record.id, 0, 1);
  const message = messageMaker(deps.config, { record, compiled, template })({ id: 0, email: to, name: '' });
  try {
    await deps.mailer.send(message);
  } catch (err) {
    const failure = classifyDeliveryError(err);
    await deps.sends.settle(record.id, {
      subscriberId: 0,
      outcome: 'failed',
      cause: failure.cause,
      words: failureWords(failure),
    });
    await deps.sends.fanoutDone(record.id);
    await deps.sends.finishIfComplete(record.id);
    throw new GazetteError(`The relay did not take the test message: ${failure.response}`, {
      code: 'E_RELAY',
      params: { response: failure.response },
      cause: err,
    });
  }
  await deps.sends.settle(record.id, { subscriberId: 0, outcome: 'delivered' });
  await deps.sends.fanoutDone(record.id);
  await deps.sends.finishIfComplete(record.id);
  return { ...record, state: 'done' };
}

function unknownSend(id: string): GazetteError {
  return new GazetteError(`There is no send "${id}"; \`gazette status\` lists the sends.`, {
    code: 'E_NO_SEND',
    params: { id },
  });
}

/** Applies a state change or explains why it cannot be made; `same` states make it a no-op. */
async function change(
  deps: ScheduleDeps,
  id: string,
  to: SendState,
  from: SendState[],
  same: SendState[],
): Promise<SendState> {
  const { changed, before } = await deps.sends.transition(id, to, from);
  if (before === null) throw unknownSend(id);
  if (!changed && !same.includes(before)) {
    throw new GazetteError(
      `Send ${id} is ${before}; it cannot be ${to === 'sending' ? 'resumed' : to} now.`,
      { code: 'E_STATE', params: { id, sendState: before } },
    );
  }
  return changed ? ((await deps.sends.state(id)) ?? to) : before;
}

/**
 * Pauses a scheduled or running send; workers stop taking its messages within a fraction of a
 * second. `reason` says why when the system pauses it (e.g. a bounce rate over its threshold).
 */
export async function pauseSend(deps: ScheduleDeps, id: string, reason?: string): Promise<SendState> {
  const state = await change(deps, id, 'paused', ['scheduled', 'sending'], ['paused']);
  if (reason) await deps.sends.setReason(id, reason);
  return state;
}

/** Resumes a paused send: its parked batches go back to the queue at once. */
export async function resumeSend(deps: ScheduleDeps, id: string): Promise<SendState> {
  const state = await change(deps, id, 'sending', ['paused'], ['sending', 'scheduled']);
  await deps.sends.setReason(id, null);
  for (const jobId of await deps.sends.takeParked(id)) {
    const job = await Job.fromId(deps.queues.deliver, jobId);
    await job?.promote().catch(() => {});
  }
  await deps.sends.finishIfComplete(id);
  return (await deps.sends.state(id)) ?? state;
}

/**
 * Moves a scheduled send to another time (`at` as `--at` reads it, in TZ_DEFAULT without an offset).
 * Throws GazetteError E_STATE once its fan-out has started, and E_AT / E_AT_PAST for a bad time.
 */
export async function rescheduleSend(deps: ScheduleDeps, id: string, at: string): Promise<number> {
  const now = (deps.clock ?? Date.now)();
  const when = parseSendTime(at, deps.config.TZ_DEFAULT, now);
  const state = await deps.sends.state(id);
  if (state === null) throw unknownSend(id);
  const job = state === 'scheduled' ? await Job.fromId(deps.queues.send, id) : undefined;
  const moved =
    job &&
    (await job.isDelayed()) &&
    (await job.changeDelay(Math.max(0, when - now)).then(
      () => true,
      () => false,
    ));
  if (!moved) {
    throw new GazetteError(
      `Send ${id} is ${state === 'scheduled' ? 'starting' : state}; only a send that has not started can be moved.`,
      { code: 'E_STATE', params: { id, sendState: state === 'scheduled' ? 'starting' : String(state) } },
    );
  }
  await deps.sends.setAt(id, when);
  return when;
}

/** Cancels a send for good: nothing more goes out; messages already in flight finish. */
export async function cancelSend(deps: ScheduleDeps, id: string): Promise<SendState> {
  const state = await change(deps, id, 'cancelled', ['scheduled', 'sending', 'paused'], ['cancelled']);
  await deps.queues.send.remove(id).catch(() => 0);
  for (const jobId of await deps.sends.takeParked(id)) {
    await deps.queues.deliver.remove(jobId).catch(() => 0);
  }
  return state;
}
