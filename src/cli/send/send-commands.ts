import type { Command } from 'commander';
import { DEFAULT_LIST } from '../../subscribers/subscriber-schema.ts';
import type { SendOptions } from './send-actions.ts';

/** The actions load BullMQ and the workers only when a send command runs, not for every command. */
const actions = () => import('./send-actions.ts');

/** `gazette send | retry | status | cancel | pause | resume | worker`. */
export function registerSendCommands(program: Command): void {
  program
    .command('send')
    .description('schedule an issue for a list (or send one test message); prints the send id')
    .argument('<issue.json>')
    .option('--list <name>', 'the list to send to', DEFAULT_LIST)
    .option('--at <time>', 'when to send, ISO-8601; without an offset read in TZ_DEFAULT (default: now)')
    .option('--test <email>', 'send one message to this address now, subject prefixed [TEST]')
    .option('--json', 'print {"id": …}')
    .option('--resend', 'send even though the issue already went (or is scheduled) to this list')
    .option('--yes', 'do not ask for confirmation on a terminal (for scripts)')
    .option(
      '--editions <locales>',
      'send only these editions, e.g. ja,en (default: every <n>.<locale>.json beside the file)',
    )
    .action(async (file: string, opts: SendOptions) => (await actions()).sendAction(file, opts));

  program
    .command('retry')
    .description('deliver a done send again to its recipients failed for a temporary cause (never twice)')
    .argument('<send-id>')
    .option('--watch', 'follow the retry with a progress bar until it is done')
    .action(async (id: string, opts: { watch?: boolean }) => (await actions()).retryAction(id, opts));

  program
    .command('status')
    .description("show a send's state and counts (or the recent sends)")
    .argument('[send-id]')
    .option('--json', 'print JSON (one object per line for several sends)')
    .option('--watch', 'follow the send with a progress bar until it is done')
    .action(async (id: string | undefined, opts: { json?: boolean; watch?: boolean }) =>
      (await actions()).statusAction(id, opts),
    );

  const control = [
    ['cancel', 'stop a send for good (messages in flight finish)'],
    ['pause', 'pause a scheduled or running send'],
    ['resume', 'resume a paused send'],
  ] as const;
  for (const [name, description] of control) {
    program
      .command(name)
      .description(description)
      .argument('<send-id>')
      .action(async (id: string) => (await actions()).controlAction(name, id));
  }

  program
    .command('worker')
    .description(
      'run the send, deliver and bounce workers until SIGTERM (start as many as you like, anywhere)',
    )
    .action(async () => (await actions()).workerAction());
}
