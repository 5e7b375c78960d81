import type { Command } from 'commander';
import type { Redis } from 'ioredis';
import { runWorkers } from '../../workers/index.ts';
import { sendBounceSummary } from '../bounces/send-bounces.ts';
import { type Config, loadConfig } from '../config.ts';
import { GazetteError } from '../errors.ts';
import { createRedis } from '../redis.ts';
import { createQueues } from '../send/queues.ts';
import {
  cancelSend,
  createSend,
  pauseSend,
  resumeSend,
  type ScheduleDeps,
  sendTest,
} from '../send/schedule.ts';
import { createSendStore } from '../send/send-store.ts';
import { formatInstant } from '../send/send-time.ts';
import { recentStatuses, type StatusDeps, sendStatus, statusJson } from '../send/status.ts';
import { describeSend, formatCount, statusRow } from '../send/status-view.ts';
import { watchSend } from '../send/status-watch.ts';
import { createMailer } from '../send/transport.ts';
import { DEFAULT_LIST } from '../subscribers/schema.ts';
import { createSubscriberStore } from '../subscribers/store.ts';

const log = (msg: string) => console.error(msg);

/** The command line's composition root for sends: stores and queues on one connection, closed after. */
async function withSends<T>(fn: (deps: SendDeps) => Promise<T>): Promise<T> {
  const config = loadConfig();
  const redis = await connect(config);
  const prefix = config.REDIS_PREFIX;
  const deps = {
    config,
    redis,
    sends: createSendStore({ redis, prefix }),
    audience: createSubscriberStore({ redis, prefix }),
    queues: createQueues(config),
  };
  try {
    return await fn(deps);
  } finally {
    await deps.queues.close();
    await deps.redis.quit();
  }
}

type SendDeps = ScheduleDeps & StatusDeps & { config: Config; redis: Redis };

/** Connects to Redis, or says in one sentence that it is not there and what to do. */
async function connect(config: Config): Promise<Redis> {
  const redis = createRedis(config.REDIS_URL, { maxRetriesPerRequest: 1, retryStrategy: () => null });
  redis.on('error', () => {});
  try {
    await redis.ping();
    return redis;
  } catch (err) {
    redis.disconnect();
    throw new GazetteError(
      `Cannot reach Redis at ${config.REDIS_URL} (${(err as Error).message}); start it (e.g. \`docker compose up -d redis\`) or set REDIS_URL.`,
      { cause: err },
    );
  }
}

function live(): boolean {
  return Boolean(process.stdout.isTTY) && !process.env.CI;
}

/** `gazette send | status | cancel | pause | resume | worker`. */
export function registerSendCommands(program: Command): void {
  program
    .command('send')
    .description('schedule an issue for a list (or send one test message); prints the send id')
    .argument('<issue.json>')
    .option('--list <name>', 'the list to send to', DEFAULT_LIST)
    .option('--at <time>', 'when to send, ISO-8601; without an offset read in TZ_DEFAULT (default: now)')
    .option('--test <email>', 'send one message to this address now, subject prefixed [TEST]')
    .option('--json', 'print {"id": …}')
    .action(async (file: string, opts: { list: string; at?: string; test?: string; json?: boolean }) => {
      if (opts.test) {
        const config = loadConfig();
        const redis = await connect(config);
        const mailer = await createMailer(config, log);
        try {
          const sends = createSendStore({ redis, prefix: config.REDIS_PREFIX });
          const send = await sendTest({ sends, config, mailer }, { issueFile: file, to: opts.test });
          console.log(opts.json ? JSON.stringify({ id: send.id }) : send.id);
          console.error(`test message of issue ${send.issue} sent to ${opts.test} through ${mailer.target}`);
        } finally {
          await mailer.close();
          await redis.quit();
        }
        return;
      }
      await withSends(async (deps) => {
        const send = await createSend(deps, { issueFile: file, list: opts.list, at: opts.at });
        console.log(opts.json ? JSON.stringify({ id: send.id }) : send.id);
        console.error(
          `issue ${send.issue} scheduled for list ${send.list} (${formatCount(send.expected)} members) at ` +
            `${formatInstant(send.at, deps.config.TZ_DEFAULT)}; a running \`gazette worker\` delivers it.`,
        );
      });
    });

  program
    .command('status')
    .description("show a send's state and counts (or the recent sends)")
    .argument('[send-id]')
    .option('--json', 'print JSON (one object per line for several sends)')
    .option('--watch', 'follow the send with a progress bar until it is done')
    .action(async (id: string | undefined, opts: { json?: boolean; watch?: boolean }) => {
      await withSends(async (deps) => {
        const zone = deps.config.TZ_DEFAULT;
        if (opts.watch) {
          const target = id ?? (await deps.sends.ids(1))[0];
          if (!target)
            throw new GazetteError('There are no sends to watch yet; schedule one with `gazette send`.');
          const write = (text: string) => process.stdout.write(text);
          const final = await watchSend(
            deps,
            target,
            { write, live: live() && !opts.json },
            { json: opts.json ?? false },
          );
          if (!opts.json) console.log(describeSend(final, zone));
          return;
        }
        if (id) {
          const s = await sendStatus(deps, id);
          if (!s) throw new GazetteError(`There is no send "${id}"; \`gazette status\` lists the sends.`);
          console.log(opts.json ? JSON.stringify(statusJson(s)) : describeSend(s, zone));
          if (!opts.json) for (const line of await sendBounceSummary(deps, s.record)) console.log(line);
          return;
        }
        const all = await recentStatuses(deps);
        if (opts.json) for (const s of all) console.log(JSON.stringify(statusJson(s)));
        else if (all.length === 0)
          console.log('No sends yet; schedule one with `gazette send <issue.json>`.');
        else for (const s of all) console.log(statusRow(s, zone));
      });
    });

  const control = [
    ['cancel', 'stop a send for good (messages in flight finish)', cancelSend],
    ['pause', 'pause a scheduled or running send', pauseSend],
    ['resume', 'resume a paused send', resumeSend],
  ] as const;
  for (const [name, description, act] of control) {
    program
      .command(name)
      .description(description)
      .argument('<send-id>')
      .action(async (id: string) => {
        await withSends(async (deps) => console.log(`${id}: ${await act(deps, id)}`));
      });
  }

  program
    .command('worker')
    .description('run the send and deliver workers until SIGTERM (start as many as you like, anywhere)')
    .action(async () => {
      await runWorkers(loadConfig(), (msg) => console.error(`${new Date().toISOString()} ${msg}`));
    });
}
