import type { Command } from 'commander';

/** The actions load the stores and scrypt only when an account command runs. */
const actions = () => import('./account-actions.ts');

/** `gazette users add|list|remove|passwd` and `gazette tokens create|list|revoke` (desk accounts). */
export function registerAccountCommands(program: Command): void {
  const users = program.command('users').description("the desk's accounts and their roles");
  users
    .command('add')
    .description('add a desk account; the password is read from stdin when piped, else prompted')
    .argument('<email>')
    .requiredOption('--role <roles>', 'comma-separated: writer, editor, sender, admin')
    .option('--name <name>', 'the name the desk shows')
    .action(async (email: string, o: { role: string; name?: string }) => (await actions()).addUser(email, o));
  users
    .command('list')
    .description('list the desk accounts')
    .option('--json', 'one JSON object per account per line')
    .action(async (o: { json?: boolean }) => (await actions()).listUsers(o));
  users
    .command('remove')
    .description('remove a desk account; its sessions end at once')
    .argument('<email>')
    .action(async (email: string) => (await actions()).removeUser(email));
  users
    .command('passwd')
    .description("set a desk account's password; all its sessions end")
    .argument('<email>')
    .action(async (email: string) => (await actions()).changePassword(email));

  const tokens = program
    .command('tokens')
    .description('API tokens for scripts and CMSs (Authorization: Bearer …)');
  tokens
    .command('create')
    .description('make an API token with roles; it is printed once and never again')
    .requiredOption('--name <name>', 'what the token is for (shown in the audit log)')
    .requiredOption('--role <roles>', 'comma-separated: writer, editor, sender, admin')
    .action(async (o: { name: string; role: string }) => (await actions()).createToken(o));
  tokens
    .command('list')
    .description('list the live tokens (never the tokens themselves)')
    .option('--json', 'one JSON object per token per line')
    .action(async (o: { json?: boolean }) => (await actions()).listTokens(o));
  tokens
    .command('revoke')
    .description('revoke a token by its id (from `tokens list`)')
    .argument('<id>')
    .action(async (id: string) => (await actions()).revokeToken(id));
}
