import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { removeAccountTraces } from '../../../accounts/account-traces.ts';
import { leavesNoAdmin } from '../../../accounts/last-admin.ts';
import { secondFactorMethods } from '../../../accounts/second-factor-methods.ts';
import type { UserChange, UserView } from '../../../accounts/user-store.ts';
import { GazetteError } from '../../../errors.ts';
import { errorRefusal, refusal } from '../caller-language.ts';
import type { DeskDeps, DeskEnv } from '../desk-deps.ts';
import { audit, INVALID, json, REFUSALS, secured, UNREADABLE } from '../route-kit.ts';
import {
  EmailParam,
  ErrorAnswer,
  MemberAnswer,
  MemberChange,
  TeamAnswer,
  type TeamMember,
} from '../schemas.ts';

const NO_USER = { 404: json(ErrorAnswer, 'There is no such desk account.') };
const LAST_ADMIN = {
  409: json(ErrorAnswer, 'It would leave the desk without an active admin (code `last-admin`).'),
};

const DEMOTED = {
  403: json(
    ErrorAnswer,
    'No role of the caller allows it (or another admin demoted the caller a moment before), or a state change from another origin.',
  ),
};

const listRoute = createRoute({
  method: 'get',
  path: '/users',
  summary: 'Every desk account: roles, disabled or not, its second factors, its last sign-in (admin)',
  ...secured('admin'),
  responses: { 200: json(TeamAnswer, 'The accounts'), ...REFUSALS },
});

const changeRoute = createRoute({
  method: 'patch',
  path: '/users/{email}',
  summary:
    "Change an account's name, roles or whether it is disabled (admin); disabling ends its sessions at once",
  ...secured('admin'),
  request: {
    params: EmailParam,
    body: { ...json(MemberChange, 'What changes'), required: true },
  },
  responses: {
    200: json(MemberAnswer, 'Changed'),
    ...NO_USER,
    ...LAST_ADMIN,
    ...INVALID,
    ...UNREADABLE,
    ...REFUSALS,
    ...DEMOTED,
  },
});

const removeRoute = createRoute({
  method: 'delete',
  path: '/users/{email}',
  summary: 'Remove an account with its second factors; its sessions end at once (admin)',
  ...secured('admin'),
  request: { params: EmailParam },
  responses: { 204: { description: 'Removed' }, ...NO_USER, ...LAST_ADMIN, ...REFUSALS, ...DEMOTED },
});

/** Reads what each member has enrolled, beside the account itself. */
async function memberOf(deps: DeskDeps, user: UserView): Promise<TeamMember> {
  const secondFactor = await secondFactorMethods(deps, user.email);
  const { email, name, roles, disabled, lastSignInAt } = user;
  return { email, name, roles, disabled, secondFactor, ...(lastSignInAt ? { lastSignInAt } : {}) };
}

const noUser = (c: Context, email: string) =>
  c.json(refusal('no-user', { email }, `There is no desk account ${email}.`), 404);
const lastAdmin = (c: Context, email: string) =>
  c.json(
    refusal('last-admin', { email }, `${email} is the last admin: make someone else an admin first.`),
    409,
  );

/**
 * Whether the caller is still an active admin as the lock holder reads the accounts: one demoted by
 * another admin a moment ago passed the role check on the way in, and must not act now. A token's
 * roles are its own.
 */
function stillAdmin(c: Context<DeskEnv>, users: readonly UserView[]): boolean {
  const caller = c.get('caller');
  if (caller.via !== 'session') return true;
  const me = users.find((u) => u.email === caller.id);
  return me?.roles.includes('admin') === true && !me.disabled;
}

const demoted = (c: Context) =>
  c.json(refusal('role', { roles: 'admin' }, 'This needs the role admin.'), 403);

/** What changed, as audit entries: one action for each kind of change, naming the account. */
function changeEntries(before: UserView, change: UserChange): [string, string][] {
  const target = `user:${before.email}`;
  const entries: [string, string][] = [];
  if (change.roles && change.roles.join(',') !== before.roles.join(',')) {
    entries.push(['user.roles', `${target} (${before.roles.join(',')} → ${change.roles.join(',')})`]);
  }
  if (change.disabled !== undefined && change.disabled !== before.disabled) {
    entries.push([change.disabled ? 'user.disable' : 'user.enable', target]);
  }
  if (change.name !== undefined && change.name !== before.name) entries.push(['user.rename', target]);
  return entries;
}

/**
 * GET /users, PATCH and DELETE /users/{email}: the members page (issue 22). A change that would leave
 * no active admin is refused (409 `last-admin`); the check and the change run under the user store's
 * lock, so two admins demoting each other at once cannot both pass it.
 */
export function teamRoutes(api: OpenAPIHono<DeskEnv>, deps: DeskDeps): void {
  api.openapi(listRoute, async (c) => {
    const users = await Promise.all((await deps.users.list()).map((u) => memberOf(deps, u)));
    return c.json({ users }, 200);
  });

  api.openapi(changeRoute, async (c) => {
    const email = c.req.valid('param').email.trim().toLowerCase();
    const change = c.req.valid('json');
    try {
      const outcome = await deps.users.serialised(async () => {
        const users = await deps.users.list();
        if (!stillAdmin(c, users)) return 'role' as const;
        const before = users.find((u) => u.email === email);
        if (!before) return 'no-user' as const;
        if (leavesNoAdmin(users, email, change)) return 'last-admin' as const;
        const after = await deps.users.update(email, change);
        return after ? { before, after } : ('no-user' as const);
      });
      if (outcome === 'role') return demoted(c);
      if (outcome === 'no-user') return noUser(c, email);
      if (outcome === 'last-admin') return lastAdmin(c, email);
      // Ended after the flag is stored: a request between the two finds the account disabled (guard.ts).
      if (outcome.after.disabled) await deps.sessions.destroyAll(email);
      for (const [action, target] of changeEntries(outcome.before, change)) {
        await audit(deps, c, action, target);
      }
      const user = await memberOf(deps, outcome.after);
      return c.json({ user }, 200);
    } catch (err) {
      if (err instanceof GazetteError) return c.json(errorRefusal(err), 409);
      throw err;
    }
  });

  api.openapi(removeRoute, async (c) => {
    const email = c.req.valid('param').email.trim().toLowerCase();
    try {
      const outcome = await deps.users.serialised(async () => {
        const users = await deps.users.list();
        if (!stillAdmin(c, users)) return 'role' as const;
        if (!users.some((u) => u.email === email)) return 'no-user' as const;
        if (leavesNoAdmin(users, email, null)) return 'last-admin' as const;
        await deps.users.remove(email);
        return 'removed' as const;
      });
      if (outcome === 'role') return demoted(c);
      if (outcome === 'no-user') return noUser(c, email);
      if (outcome === 'last-admin') return lastAdmin(c, email);
      await removeAccountTraces(deps, email);
      await audit(deps, c, 'user.remove', `user:${email}`);
      return c.body(null, 204);
    } catch (err) {
      if (err instanceof GazetteError) return c.json(errorRefusal(err), 409);
      throw err;
    }
  });
}
