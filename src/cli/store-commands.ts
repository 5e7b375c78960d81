import type { Command } from 'commander';

/** The actions load the stores only when one of these commands runs. */
const actions = () => import('./store-actions.ts');

/** `gazette issues import|export` (the desk's issue store) and `gazette audit`. */
export function registerStoreCommands(program: Command): void {
  const issues = program.command('issues').description("the desk's issue store (Redis)");
  issues
    .command('import')
    .description('store issue files in the desk (each a new revision); every file is validated first')
    .argument('<file.json...>')
    .action(async (files: string[]) => (await actions()).importIssues(files));
  issues
    .command('export')
    .description("print an issue's latest revision from the desk as JSON (or write it with --out)")
    .argument('<number>')
    .option('--out <file>', 'write the JSON to this file')
    .option('--locale <locale>', 'the edition (default: DEFAULT_LOCALE)')
    .action(async (n: string, o: { out?: string; locale?: string }) => (await actions()).exportIssue(n, o));
  program
    .command('audit')
    .description('who changed what in the desk, oldest first')
    .option('--since <time>', 'ISO-8601 time, or a span back from now such as 24h or 30d', '30d')
    .option('--json', 'one JSON object per entry per line')
    .action(async (o: { since: string; json?: boolean }) => (await actions()).showAudit(o));
}
