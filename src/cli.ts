import { existsSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { registerAccountCommands } from './cli/accounts/account-commands.ts';
import { registerBounceCommands } from './cli/bounces/bounce-commands.ts';
import { registerBounceHistoryCommands } from './cli/bounces/bounce-history-commands.ts';
import { registerIssueCommands, registerPreviewCommand } from './cli/issue-commands.ts';
import { registerReportCommands } from './cli/report-commands.ts';
import { registerSendCommands } from './cli/send/send-commands.ts';
import { registerServerCommands } from './cli/server-commands.ts';
import { registerStoreCommands } from './cli/store-commands.ts';
import { registerSubscriberCommands } from './cli/subscriber-commands.ts';
import { ConfigError } from './config.ts';
import { GazetteError } from './errors.ts';
import { IssueError } from './issue/load.ts';

/** The `gazette` command: each group of subcommands lives in src/cli/ and registers itself here. */
function buildProgram(): Command {
  const program = new Command('gazette')
    .description('Compose a newsletter issue from JSON and deliver it to every subscriber exactly once.')
    .showHelpAfterError()
    .exitOverride();
  registerIssueCommands(program);
  registerPreviewCommand(program);
  registerSubscriberCommands(program);
  registerSendCommands(program);
  registerReportCommands(program);
  registerBounceCommands(program);
  registerServerCommands(program);
  registerBounceHistoryCommands(program);
  registerAccountCommands(program);
  registerStoreCommands(program);
  return program;
}

/** Errors a person caused or can fix print as one message and exit 1; nothing prints a stack trace. */
function isUserError(err: unknown): err is Error {
  return err instanceof IssueError || err instanceof ConfigError || err instanceof GazetteError;
}

// `gazette … | head` closes the pipe early: stop quietly, as Unix tools do, not with an EPIPE stack trace.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(0);
  throw err;
});

// A .env file in the working folder fills in variables the environment does not set.
if (existsSync('.env')) process.loadEnvFile('.env');

try {
  await buildProgram().parseAsync(process.argv);
} catch (err) {
  if (err instanceof CommanderError) {
    process.exitCode = err.exitCode;
  } else if (isUserError(err)) {
    console.error(err.message);
    process.exitCode = 1;
  } else {
    console.error(`gazette: ${(err as Error)?.message ?? String(err)}`);
    if (process.env.DEBUG) console.error(err);
    process.exitCode = 1;
  }
}
