import type { Command } from 'commander';
import { loadIssue } from '../issue/load.ts';

/** `gazette validate` (and, once the composer lands, `build` and `preview`). */
export function registerIssueCommands(program: Command): void {
  program
    .command('validate')
    .description('check an issue file; prints "ok" or one line per problem')
    .argument('<issue.json>')
    .action(async (file: string) => {
      await loadIssue(file);
      console.log('ok');
    });
}
