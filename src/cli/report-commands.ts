import type { Command } from 'commander';
import { GazetteError } from '../errors.ts';
import { withGazette } from './with-gazette.ts';

/** `gazette report <send-id> [--json]`: how a send went (deliveries, bounces, unsubscribes, clicks, timeline). */
export function registerReportCommands(program: Command): void {
  program
    .command('report')
    .description('show how a send went: delivered, bounced, unsubscribed, clicks per link, timeline')
    .argument('<send-id>')
    .option('--json', 'print the report as one JSON object')
    .action(async (id: string, opts: { json?: boolean }) => {
      await withGazette(async (g) => {
        // Loaded when the command runs, so that `gazette --help` stays quick.
        const [{ reportText }, { sendReport }] = await Promise.all([
          import('../report/report-text.ts'),
          import('../report/send-report.ts'),
        ]);
        const { config, redis, sends, clicks, bounces, subscribers } = g;
        const report = await sendReport(
          { redis, prefix: config.REDIS_PREFIX, subscribers, sends, clicks, bounces },
          id,
        );
        if (!report) throw new GazetteError(`There is no send "${id}"; \`gazette status\` lists the sends.`);
        console.log(opts.json ? JSON.stringify(report) : reportText(report, config.TZ_DEFAULT));
      });
    });
}
