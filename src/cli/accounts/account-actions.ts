import { removeAccountTraces } from '../../accounts/account-traces.ts';
import { UserEmail } from '../../accounts/user-store.ts';
import { GazetteError } from '../../errors.ts';
import { parseRoles } from '../../roles.ts';
import { cliUser, withGazette } from '../with-gazette.ts';
import { readNewPassword } from './password-input.ts';

function roles(text: string) {
  try {
    return parseRoles(text);
  } catch (err) {
    throw new GazetteError(`--role: ${(err as Error).message}`, { code: 'E_USAGE' });
  }
}

function email(text: string): string {
  const parsed = UserEmail.safeParse(text);
  if (!parsed.success) throw new GazetteError(`"${text}" is not an e-mail address.`, { code: 'E_USAGE' });
  return parsed.data;
}

/** `gazette users add`. */
export async function addUser(address: string, o: { role: string; name?: string }): Promise<void> {
  const user = { email: email(address), roles: roles(o.role), name: o.name?.trim() ?? '' };
  const password = await readNewPassword();
  await withGazette(async (g) => {
    await g.users.add({ ...user, password });
    await g.audit.record({
      user: cliUser(),
      action: 'user.add',
      target: `${user.email} (${user.roles.join(',')})`,
    });
    console.log(`added ${user.email} (${user.roles.join(', ')})`);
  });
}

/** `gazette users list`: a disabled account (the desk's members page) says so in a last column. */
export async function listUsers(o: { json?: boolean }): Promise<void> {
  await withGazette(async (g) => {
    const users = await g.users.list();
    if (o.json) for (const u of users) console.log(JSON.stringify(u));
    else if (users.length === 0)
      console.log('No desk accounts yet; add one with `gazette users add <email> --role admin`.');
    else
      for (const u of users) {
        console.log(`${u.email}\t${u.roles.join(',')}\t${u.name}${u.disabled ? '\tdisabled' : ''}`);
      }
  });
}

function noUser(address: string): GazetteError {
  return new GazetteError(`There is no desk account ${address}; \`gazette users list\` lists them.`, {
    code: 'E_NO_USER',
  });
}

/**
 * `gazette users remove`: the account goes with its second factors (an address added again later
 * starts without one), and every session of it ends.
 */
export async function removeUser(address: string): Promise<void> {
  const who = email(address);
  await withGazette(async (g) => {
    if (!(await g.users.remove(who))) throw noUser(who);
    await removeAccountTraces(g, who);
    await g.audit.record({ user: cliUser(), action: 'user.remove', target: who });
    console.log(`removed ${who}; its sessions have ended`);
  });
}

/** `gazette users passwd`: a new password, and every session of the account ends. */
export async function changePassword(address: string): Promise<void> {
  const who = email(address);
  const password = await readNewPassword();
  await withGazette(async (g) => {
    if (!(await g.users.setPassword(who, password))) throw noUser(who);
    await g.sessions.destroyAll(who);
    await g.audit.record({ user: cliUser(), action: 'user.passwd', target: who });
    console.log(`password of ${who} changed; its sessions have ended`);
  });
}

/** `gazette tokens create`: prints the token (stdout, once) and what it is (stderr). */
export async function createToken(o: { name: string; role: string }): Promise<void> {
  const name = o.name.trim();
  if (!/^[\w .@-]{1,64}$/.test(name)) {
    throw new GazetteError('--name: 1-64 letters, digits, spaces and . _ - @ only.', { code: 'E_USAGE' });
  }
  const granted = roles(o.role);
  await withGazette(async (g) => {
    const token = await g.tokens.create({ name, roles: granted, by: cliUser() });
    await g.audit.record({
      user: cliUser(),
      action: 'token.create',
      target: `${token.id} ${name} (${granted.join(',')})`,
    });
    console.log(token.token);
    console.error(`token ${token.id} "${name}" (${granted.join(', ')}): keep it now, it is not shown again`);
  });
}

/** `gazette tokens list`. */
export async function listTokens(o: { json?: boolean }): Promise<void> {
  await withGazette(async (g) => {
    const tokens = await g.tokens.list();
    if (o.json) for (const t of tokens) console.log(JSON.stringify(t));
    else if (tokens.length === 0) console.log('No API tokens; make one with `gazette tokens create`.');
    else for (const t of tokens) console.log(`${t.id}\t${t.name}\t${t.roles.join(',')}\t${t.createdAt}`);
  });
}

/** `gazette tokens revoke`. */
export async function revokeToken(id: string): Promise<void> {
  await withGazette(async (g) => {
    if (!(await g.tokens.revoke(id.trim()))) {
      throw new GazetteError(`There is no token ${id}; \`gazette tokens list\` lists them.`, {
        code: 'E_NO_TOKEN',
      });
    }
    await g.audit.record({ user: cliUser(), action: 'token.revoke', target: id.trim() });
    console.log(`revoked ${id.trim()}`);
  });
}
