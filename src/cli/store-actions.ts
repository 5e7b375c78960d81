import { writeFile } from 'node:fs/promises';
import { GazetteError } from '../errors.ts';
import { readIssueFile, storeIssueFile } from '../issue/issue-files.ts';
import { formatInstant } from '../send/control/send-time.ts';
import { parseSince } from '../text/since.ts';
import { cliUser, withGazette } from './with-gazette.ts';

/** `gazette issues import`: validates every file first, so a bad one stores nothing. */
export async function importIssues(files: string[]): Promise<void> {
  const parsed = await Promise.all(files.map(readIssueFile));
  await withGazette(async (g) => {
    for (const file of parsed) {
      const { number, locale } = file.issue;
      const saved = await storeIssueFile(g, file, cliUser(), 'put');
      if (saved.status !== 'ok') {
        const why = saved.status === 'locked' ? `is ${saved.state} and can no longer change` : saved.status;
        throw new GazetteError(`${file.file}: issue ${number} ${why}; nothing stored for it.`, {
          code: 'E_ISSUE_LOCKED',
        });
      }
      console.log(`${file.file}: No.${number} (${locale}) revision ${saved.revision}, ${saved.state}`);
    }
  });
}

/** `gazette issues export`. */
export async function exportIssue(number: string, o: { out?: string; locale?: string }): Promise<void> {
  if (!/^[1-9]\d{0,8}$/.test(number)) {
    throw new GazetteError(`"${number}" is not an issue number.`, { code: 'E_USAGE' });
  }
  await withGazette(async (g) => {
    const locale = o.locale ?? g.config.DEFAULT_LOCALE;
    const stored = await g.issues.get(Number(number), locale);
    if (!stored) {
      throw new GazetteError(
        `The desk has no issue ${number} (${locale}); \`gazette issues import\` stores one.`,
        {
          code: 'E_NO_ISSUE',
        },
      );
    }
    const text = `${JSON.stringify(stored.json, null, 2)}\n`;
    if (!o.out) return void process.stdout.write(text);
    await writeFile(o.out, text);
    console.error(`No.${number} (${locale}) revision ${stored.revision} written to ${o.out}`);
  });
}

/** `gazette audit [--since] [--json]`. */
export async function showAudit(o: { since: string; json?: boolean }): Promise<void> {
  await withGazette(async (g) => {
    const zone = g.config.TZ_DEFAULT;
    const events = await g.audit.since(parseSince(o.since, zone, Date.now()));
    if (o.json) for (const e of events) console.log(JSON.stringify(e));
    else if (events.length === 0) console.log('Nothing in the audit log for that time.');
    else
      for (const e of events)
        console.log(`${formatInstant(Date.parse(e.at), zone)}  ${e.user}  ${e.action}  ${e.target}`);
  });
}
