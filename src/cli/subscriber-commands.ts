import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import type { Command } from 'commander';
import type { z } from 'zod';
import { GazetteError } from '../errors.ts';
import { quote } from '../subscribers/email.ts';
import { exportSubscribers, write } from '../subscribers/files/export.ts';
import { formatOf, type ImportResult, importSubscribers } from '../subscribers/files/import.ts';
import type { Subscriber } from '../subscribers/subscriber-schema.ts';
import {
  DEFAULT_LIST,
  DisplayName,
  EmailAddress,
  ListName,
  LocaleInput,
} from '../subscribers/subscriber-schema.ts';
import { upsertSubscribers } from '../subscribers/upsert.ts';
import { cliUser, withGazette } from './with-gazette.ts';

/** Parses one command-line value with a schema; a bad value is a GazetteError naming the option. */
function parseOption<S extends z.ZodType>(schema: S, value: unknown, option: string): z.output<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  throw new GazetteError(`${option}: ${parsed.error.issues.map((i) => i.message).join('; ')}`, {
    code: 'E_USAGE',
  });
}

/** The summary line `subscribers import` prints, then one line per rejected row. */
export function formatImportResult(r: ImportResult): string[] {
  const skipped = r.unchanged + r.suppressed;
  const lines = [
    `added ${r.added}, updated ${r.updated}, skipped ${skipped} (${r.unchanged} unchanged, ${r.suppressed} suppressed), rejected ${r.rejected.length}`,
  ];
  if (r.suppressed > 0) {
    lines.push(
      `${r.suppressed} suppressed address(es) were left alone; pass --resubscribe to re-activate them`,
    );
  }
  for (const row of r.rejected) lines.push(`line ${row.line}: ${row.reason}`);
  return lines;
}

function describe(s: Subscriber): string {
  return `${s.id} ${s.email}`;
}

/** `gazette subscribers import | add | remove | list | export`. */
export function registerSubscriberCommands(program: Command): void {
  const group = program.command('subscribers').description('manage subscribers, lists and suppression');

  group
    .command('import')
    .description('add or update subscribers from a CSV (header row: email, name, locale) or JSONL file')
    .argument('<file>', 'a .csv, .jsonl or .ndjson file (UTF-8)')
    .option('--list <name>', 'list every row joins (rows naming no list join "default")')
    .option('--locale <locale>', 'locale for rows that name none', 'ja')
    .option('--consent <wording>', 'the words the people in the file agreed to')
    .option('--resubscribe', 're-activate suppressed addresses and people who left', false)
    .action(
      async (file: string, o: { list?: string; locale: string; consent?: string; resubscribe: boolean }) => {
        const list = o.list === undefined ? undefined : parseOption(ListName, o.list, '--list');
        const locale = parseOption(LocaleInput, o.locale, '--locale');
        await stat(file).catch((err: NodeJS.ErrnoException) => {
          throw new GazetteError(
            `cannot read ${file}: ${err.code === 'ENOENT' ? 'no such file' : err.message}`,
          );
        });
        const result = await withGazette(({ subscribers }) =>
          importSubscribers(subscribers, createReadStream(file), {
            format: formatOf(file),
            list,
            locale,
            resubscribe: o.resubscribe,
            by: cliUser(),
            wording: o.consent ?? `Imported from ${basename(file)}`,
          }),
        );
        for (const line of formatImportResult(result)) console.log(line);
      },
    );

  group
    .command('add')
    .description('add one subscriber (or update them if the address is already stored)')
    .argument('<email>')
    .option('--name <name>', 'display name')
    .option('--locale <locale>', 'ja, en, ko or zh', 'ja')
    .option('--list <name>', 'list to join', DEFAULT_LIST)
    .option('--consent <wording>', 'the words the person agreed to', 'Added by an editor')
    .option('--resubscribe', 're-activate the address if it is suppressed', false)
    .action(
      async (
        email: string,
        o: { name?: string; locale: string; list: string; consent: string; resubscribe: boolean },
      ) => {
        const row = {
          email: parseOption(EmailAddress, email, 'e-mail'),
          name: o.name === undefined ? undefined : parseOption(DisplayName, o.name, '--name'),
          locale: parseOption(LocaleInput, o.locale, '--locale'),
          lists: [parseOption(ListName, o.list, '--list')],
        };
        await withGazette(async ({ subscribers }) => {
          const wordingId = await subscribers.saveWording(o.consent);
          const [outcome] = await upsertSubscribers(subscribers, [row], {
            locale: row.locale,
            resubscribe: o.resubscribe,
            consent: { source: 'import', by: cliUser(), wordingId },
          });
          if (outcome === 'suppressed') {
            const why = await subscribers.suppression(row.email);
            throw new GazetteError(
              `${row.email} is suppressed${why ? ` (${why.reason} since ${why.at})` : ''}; pass --resubscribe to add it again`,
              { code: 'E_SUPPRESSED' },
            );
          }
          const subscriber = await subscribers.findByEmail(row.email);
          console.log(`${outcome} ${subscriber ? describe(subscriber) : row.email}`);
        });
      },
    );

  group
    .command('remove')
    .description('unsubscribe an address and suppress it (it stays suppressed through later imports)')
    .argument('<email>')
    .action(async (email: string) => {
      const address = parseOption(EmailAddress, email, 'e-mail');
      await withGazette(async ({ subscribers }) => {
        const subscriber = await subscribers.findByEmail(address);
        if (!subscriber) {
          await subscribers.suppress(address, 'manual');
          console.log(`${address} is not a subscriber; it is now on the suppression list`);
          return;
        }
        const outcome = await subscribers.unsubscribe(subscriber.id, { via: 'cli', by: cliUser() });
        console.log(
          outcome === 'changed'
            ? `unsubscribed ${describe(subscriber)}`
            : `${describe(subscriber)} had already left (${subscriber.status}); it is suppressed`,
        );
      });
    });

  group
    .command('list')
    .description('print subscribers, one per line: id, email, name, locale, status, lists (tab-separated)')
    .option('--list <name>', 'only the members of this list')
    .action(async (o: { list?: string }) => {
      const list = o.list === undefined ? undefined : parseOption(ListName, o.list, '--list');
      await withGazette(async ({ subscribers }) => {
        let afterId = 0;
        for (;;) {
          const page = list
            ? (await subscribers.getMany(await subscribers.pageList(list, afterId, 1000))).filter(
                (s) => s !== null,
              )
            : await subscribers.pageAll(afterId, 1000);
          if (page.length === 0) break;
          afterId = page.at(-1)?.id ?? afterId;
          const lists = await subscribers.listsOf(page.map((s) => s.id));
          const lines = page.map((s, i) =>
            [s.id, s.email, s.name, s.locale, s.status, (lists[i] ?? []).join(',')].join('\t'),
          );
          await write(process.stdout, `${lines.join('\n')}\n`);
        }
      });
    });

  group
    .command('export')
    .description('write subscribers to standard output as CSV or JSONL (importable again)')
    .option('--format <format>', 'csv or jsonl', 'csv')
    .option('--list <name>', 'only the members of this list')
    .action(async (o: { format: string; list?: string }) => {
      if (o.format !== 'csv' && o.format !== 'jsonl') {
        throw new GazetteError(`--format: ${quote(o.format)} is not csv or jsonl`, { code: 'E_USAGE' });
      }
      const format = o.format;
      const list = o.list === undefined ? undefined : parseOption(ListName, o.list, '--list');
      await withGazette(({ subscribers }) =>
        exportSubscribers(subscribers, process.stdout, { format, list }),
      );
    });
}
