import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Gazette } from '../../app.ts';
import type { Config } from '../../config.ts';
import { GazetteError } from '../../errors.ts';
import { parseEditionList } from '../../issue/editions/edition-files.ts';
import type { Issue } from '../../issue/schema.ts';
import { fillRanking } from '../../report/fill-ranking.ts';
import { retrySend } from '../../send/control/retry-send.ts';
import {
  cancelSend,
  pauseSend,
  prepareSend,
  resumeSend,
  type ScheduleDeps,
  scheduleSend,
  sendTest,
} from '../../send/control/schedule.ts';
import { formatInstant, formatMinute } from '../../send/control/send-time.ts';
import { editionFor } from '../../send/edition-for.ts';
import { editionReach } from '../../send/edition-reach.ts';
import { recentStatuses, type StatusDeps, sendStatus, statusJson } from '../../send/record/send-status.ts';
import { failureLines, formatCount, passLines } from '../../send/record/send-text.ts';
import { createMailer } from '../../send/wire/transport.ts';
import { canAsk, confirm } from '../ask-yes-no.ts';
import { withGazette } from '../with-gazette.ts';
import { workersFile } from '../workers-file.ts';
import { sendBounceSummary } from './send-bounces.ts';
import { describeSend, statusRow } from './status-view.ts';
import { watchSend } from './status-watch.ts';

const log = (msg: string) => console.error(msg);

type SendDeps = ScheduleDeps &
  StatusDeps & {
    config: Config;
    redis: Gazette['redis'];
    gazette: Gazette;
    audience: Gazette['subscribers'];
  };

/** Fills a ranking that names an earlier issue from its clicks; the note goes to stderr. */
function ranker(g: Gazette) {
  return (issue: Issue) => fillRanking({ sends: g.sends, clicks: g.clicks, note: log }, issue);
}

/** What the send commands take from the composition root. */
function withSends<T>(fn: (deps: SendDeps) => Promise<T>): Promise<T> {
  return withGazette((g) =>
    fn({
      gazette: g,
      config: g.config,
      redis: g.redis,
      subscribers: g.subscribers,
      audience: g.subscribers,
      queues: g.queues,
      sends: g.sends,
      fillRanking: ranker(g),
    }),
  );
}

/** The options of `gazette send`, as commander reads them. */
export interface SendOptions {
  list: string;
  at?: string;
  test?: string;
  json?: boolean;
  resend?: boolean;
  yes?: boolean;
  editions?: string;
}

/**
 * `gazette send`: schedules a send (or sends one test message) and prints its id. Refuses an issue
 * already sent to the list unless `--resend`; on a terminal asks first unless `--yes`.
 */
export async function sendAction(file: string, opts: SendOptions): Promise<void> {
  const editions = opts.editions ? parseEditionList(opts.editions) : undefined;
  const print = (id: string) => console.log(opts.json ? JSON.stringify({ id }) : id);
  const to = opts.test;
  if (to) {
    await withGazette(async (g) => {
      const mailer = await createMailer(g.config, log);
      try {
        const deps = { sends: g.sends, config: g.config, mailer, fillRanking: ranker(g) };
        const send = await sendTest(deps, { issueFile: file, editions, to });
        print(send.id);
        console.error(`test message of issue ${send.issue} sent to ${to} through ${mailer.target}`);
      } finally {
        await mailer.close();
      }
    });
    return;
  }
  await withSends(async (deps) => {
    const zone = deps.config.TZ_DEFAULT;
    const prepared = await prepareSend(deps, {
      issueFile: file,
      editions,
      list: opts.list,
      at: opts.at,
      resend: opts.resend,
    });
    const r = prepared.record;
    const locales = r.editions ?? [];
    if (locales.length > 1) {
      const reach = await editionReach(deps.audience, r.list, locales, deps.config.EDITION_FALLBACK);
      const words = locales.map((l) => `${l} ${formatCount(reach[l])}`).join(', ');
      console.error(
        `editions: ${words} reader(s) (the others get ${editionFor(undefined, locales, deps.config.EDITION_FALLBACK)})`,
      );
    }
    if (!opts.yes && canAsk()) {
      const question = `Send No.${r.issue} to ${formatCount(r.expected)} readers of ${r.list} on ${formatMinute(r.at, zone)}?`;
      if (!(await confirm(question)))
        throw new GazetteError('Nothing was scheduled.', { code: 'E_DECLINED' });
    }
    const send = await scheduleSend(deps, prepared);
    print(send.id);
    console.error(
      `issue ${send.issue} scheduled for list ${send.list} (${formatCount(send.expected)} members) at ` +
        `${formatInstant(send.at, deps.config.TZ_DEFAULT)}; a running \`gazette worker\` delivers it.`,
    );
  });
}

/** `gazette status`: one send, the recent sends, or a live progress bar with `--watch`. */
export async function statusAction(
  id: string | undefined,
  opts: { json?: boolean; watch?: boolean },
): Promise<void> {
  await withSends(async (deps) => {
    const zone = deps.config.TZ_DEFAULT;
    if (opts.watch) {
      const target = id ?? (await deps.sends.ids(1))[0];
      if (!target)
        throw new GazetteError('There are no sends to watch yet; schedule one with `gazette send`.');
      const live = Boolean(process.stdout.isTTY) && !process.env.CI && !opts.json;
      const write = (text: string) => process.stdout.write(text);
      const final = await watchSend(deps, target, { write, live }, { json: opts.json ?? false });
      if (!opts.json) console.log(describeSend(final, zone));
      return;
    }
    if (id) {
      const s = await sendStatus(deps, id);
      if (!s) throw new GazetteError(`There is no send "${id}"; \`gazette status\` lists the sends.`);
      console.log(opts.json ? JSON.stringify(statusJson(s)) : describeSend(s, zone));
      if (opts.json) return;
      const [failures, passes] = await Promise.all([deps.sends.failures(id), deps.sends.passes(id)]);
      const more = [
        ...(await sendBounceSummary(deps.gazette, s.record)),
        ...failureLines(failures),
        ...passLines(passes, zone),
      ];
      for (const line of more) console.log(line);
      return;
    }
    const all = await recentStatuses(deps);
    if (opts.json) for (const s of all) console.log(JSON.stringify(statusJson(s)));
    else if (all.length === 0) console.log('No sends yet; schedule one with `gazette send <issue.json>`.');
    else for (const s of all) console.log(statusRow(s, zone));
  });
}

/** `gazette retry <id>`: delivers again to the recipients failed for a temporary cause, optionally watching. */
export async function retryAction(id: string, opts: { watch?: boolean }): Promise<void> {
  await withSends(async (deps) => {
    const started = await retrySend(deps, id);
    console.log(
      `${id}: retry ${started.pass - 1} delivers again to ${formatCount(started.recipients)} recipient(s)`,
    );
    if (!opts.watch) {
      console.error(
        `a running \`gazette worker\` delivers them; \`gazette status ${id} --watch\` follows it.`,
      );
      return;
    }
    const live = Boolean(process.stdout.isTTY) && !process.env.CI;
    const final = await watchSend(deps, id, { write: (t) => process.stdout.write(t), live });
    console.log(describeSend(final, deps.config.TZ_DEFAULT));
  });
}

const CONTROL = { cancel: cancelSend, pause: pauseSend, resume: resumeSend };

/** `gazette cancel | pause | resume <id>`: prints the send's state after. */
export async function controlAction(action: keyof typeof CONTROL, id: string): Promise<void> {
  await withSends(async (deps) => console.log(`${id}: ${await CONTROL[action](deps, id)}`));
}

/**
 * `gazette worker`: runs the workers' entry (workers/index) as a child process until it stops. The
 * child has a process group of its own, so a signal reaches it once: forwarded from here.
 */
export async function workerAction(): Promise<void> {
  const entry = fileURLToPath(workersFile('index'));
  const child = spawn(process.execPath, [...process.execArgv, entry], { stdio: 'inherit', detached: true });
  for (const signal of ['SIGTERM', 'SIGINT'] as const) process.on(signal, () => child.kill(signal));
  process.exitCode = await new Promise<number>((resolve) => {
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}
