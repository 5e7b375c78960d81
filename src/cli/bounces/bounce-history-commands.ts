import type { Command } from 'commander';
import { addressHistory } from '../../bounces/address-history.ts';
import { policySettings } from '../../bounces/policy.ts';
import { GazetteError } from '../../errors.ts';
import { formatInstant } from '../../send/control/send-time.ts';
import { parseSince } from '../../text/since.ts';
import { cliUser, withGazette } from '../with-gazette.ts';
import { eventLine, historyLines } from './bounce-view.ts';

/** Events `bounces list` prints at most. */
const LIST_LIMIT = 10_000;

/**
 * `gazette bounces list [--since] [--json]`, and `gazette subscribers show <email> [--json]` added to
 * the `subscribers` group (register after registerSubscriberCommands).
 */
export function registerBounceHistoryCommands(program: Command): void {
  const bounces = program.command('bounces').description('bounce and complaint events');
  bounces
    .command('list')
    .description('recent bounce and complaint events, oldest first (default: the last 7 days)')
    .option('--since <time>', 'ISO-8601 time, or a span back from now such as 24h or 30d', '7d')
    .option('--json', 'one JSON object per event per line')
    .option(
      '--unverified',
      'the events no valid token or authenticated channel vouched for (they acted on nobody)',
    )
    .action(async (o: { since: string; json?: boolean; unverified?: boolean }) => {
      await withGazette(async ({ config, bounces }) => {
        const since = parseSince(o.since, config.TZ_DEFAULT, Date.now());
        const events = o.unverified
          ? await bounces.listUnverified(since, LIST_LIMIT)
          : await bounces.list(since, LIST_LIMIT);
        if (o.json) {
          for (const e of events) console.log(JSON.stringify(e));
          return;
        }
        if (events.length === 0) {
          const what = o.unverified ? 'unverified bounce or complaint events' : 'bounce or complaint events';
          console.log(`No ${what} since ${formatInstant(since, config.TZ_DEFAULT)}.`);
          return;
        }
        for (const e of events)
          console.log(`${o.unverified ? `${e.id}  ` : ''}${eventLine(e, config.TZ_DEFAULT)}`);
        if (events.length === LIST_LIMIT)
          console.error(`(the first ${LIST_LIMIT}; give a later --since for the rest)`);
      });
    });

  bounces
    .command('apply')
    .description(
      'apply one unverified event by hand (audited): it suppresses or counts as a verified one would',
    )
    .argument('<event-id>', 'the id `bounces list --unverified` prints first on each line')
    .action(async (eventId: string) => {
      await withGazette(async ({ config, policy }) => {
        const outcome = await policy.applyUnverified(eventId.trim(), cliUser());
        if (!outcome) {
          throw new GazetteError(
            `There is no unverified event "${eventId}" (kept ${config.BOUNCE_UNVERIFIED_DAYS} days); \`gazette bounces list --unverified\` lists them.`,
            { code: 'E_NO_EVENT' },
          );
        }
        console.log(outcome.recorded ? `applied: ${outcome.action}` : 'already applied; nothing changed');
      });
    });

  const group =
    program.commands.find((c) => c.name() === 'subscribers') ??
    program.command('subscribers').description('manage subscribers, lists and suppression');
  group
    .command('show')
    .description("an address's history: consent, status, suppression, bounces and unsubscribe")
    .argument('<email>')
    .option('--json', 'print the history as one JSON object')
    .action(async (email: string, o: { json?: boolean }) => {
      await withGazette(async ({ config, subscribers, bounces }) => {
        const history = await addressHistory(
          { subscribers, bounces, settings: policySettings(config) },
          email.trim(),
        );
        if (!history) {
          throw new GazetteError(
            `Gazette knows nothing about ${JSON.stringify(email.trim())}: no subscriber, suppression or bounce.`,
            { code: 'E_NO_SUBSCRIBER' },
          );
        }
        if (o.json) console.log(JSON.stringify(history));
        else for (const line of historyLines(history, config.TZ_DEFAULT)) console.log(line);
      });
    });
}
