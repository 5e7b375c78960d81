import type { Command } from 'commander';
import { createClickStore } from '../clicks/click-store.ts';
import { GazetteError } from '../errors.ts';
import { reportText } from '../report/report-text.ts';
import { sendReport } from '../report/send-report.ts';
import { createSendStore } from '../send/send-store.ts';
import { withStore } from './with-store.ts';

/** `gazette report <send-id> [--json]`: how a send went (deliveries, bounces, unsubscribes, clicks, timeline). */
export function registerReportCommands(program: Command): void {
  program
    .command('report')
    .description('show how a send went: delivered, bounced, unsubscribed, clicks per link, timeline')
    .argument('<send-id>')
    .option('--json', 'print the report as one JSON object')
    .action(async (id: string, opts: { json?: boolean }) => {
      await withStore(async ({ config, redis, store }) => {
        const prefix = config.REDIS_PREFIX;
        const report = await sendReport(
          {
            redis,
            prefix,
            audience: store,
            sends: createSendStore({ redis, prefix }),
            clicks: createClickStore({ redis, prefix }),
          },
          id,
        );
        if (!report) throw new GazetteError(`There is no send "${id}"; \`gazette status\` lists the sends.`);
        console.log(opts.json ? JSON.stringify(report) : reportText(report, config.TZ_DEFAULT));
      });
    });
}
