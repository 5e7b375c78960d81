import { randomBytes } from 'node:crypto';
import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { mailAccountLink } from '../../../accounts/account-link-sender.ts';
import { type StoredUser, UserEmail } from '../../../accounts/user-store.ts';
import { GazetteError } from '../../../errors.ts';
import { callerLanguage, refusal } from '../caller-language.ts';
import type { DeskDeps, DeskEnv } from '../desk-deps.ts';
import { audit, INVALID, json, MISSING, REFUSALS, secured, UNREADABLE } from '../route-kit.ts';
import { EmailParam, ErrorAnswer, InvitedAnswer, InviteUser } from '../schemas.ts';
import { displayNames } from './display-names.ts';

const NOT_MAILED = {
  502: json(ErrorAnswer, 'The mail server did not take the invitation; the member is there, resend it'),
};

const inviteRoute = createRoute({
  method: 'post',
  path: '/users',
  summary:
    'Invite a member: an account without a password, and a mail with a link (7 days) to choose one (admin)',
  ...secured('admin'),
  request: { body: { ...json(InviteUser, 'The new member'), required: true } },
  responses: {
    201: json(InvitedAnswer, 'Invited'),
    409: json(ErrorAnswer, 'There is already a member with that address (code `user-exists`)'),
    ...NOT_MAILED,
    ...INVALID,
    ...UNREADABLE,
    ...REFUSALS,
  },
});

const resendRoute = createRoute({
  method: 'post',
  path: '/users/{email}/invite',
  summary: 'Mail an invited member a new link; the earlier one stops working (admin)',
  ...secured('admin'),
  request: { params: EmailParam },
  responses: {
    200: json(InvitedAnswer, 'Mailed again'),
    409: json(ErrorAnswer, 'The member has already chosen a password (code `user-active`)'),
    ...NOT_MAILED,
    ...MISSING,
    ...REFUSALS,
  },
});

/** Issues an invitation link for `user` and mails it in the inviting admin's language; false when the relay refused. */
async function sendInvitation(
  deps: DeskDeps,
  c: Context<DeskEnv>,
  user: StoredUser | { email: string; name: string },
) {
  const inviter = c.get('caller').id;
  const names = await displayNames(deps, [inviter]);
  const { token } = await deps.accountLinks.issue(user.email, 'invite');
  try {
    await mailAccountLink(deps, {
      to: user.email,
      name: user.name,
      purpose: 'invite',
      token,
      locale: callerLanguage(c),
      inviter: names.get(inviter) ?? inviter,
    });
    return true;
  } catch (err) {
    deps.log(`invitation mail to ${user.email} failed: ${(err as Error).message}`);
    return false;
  }
}

const notMailed = (email: string) =>
  refusal(
    'invite-not-mailed',
    { email },
    `The mail server did not take the invitation to ${email}; send it again.`,
  );

/**
 * POST /users and POST /users/{email}/invite (admin; issue 22): a member is invited by mail and chooses
 * their own password with the link, as a forgotten password is reset (password-reset-routes.ts).
 */
export function inviteRoutes(api: OpenAPIHono<DeskEnv>, deps: DeskDeps): void {
  api.openapi(inviteRoute, async (c) => {
    const { email, name = '', roles } = c.req.valid('json');
    const exists = () =>
      c.json(refusal('user-exists', { email }, `There is already a desk member ${email}.`), 409);
    if (await deps.users.get(email)) return exists();
    try {
      // A password nobody knows (256 random bits): until the link is used, no one can sign in.
      const password = randomBytes(32).toString('base64url');
      await deps.users.add({ email, name, roles, password, invited: true });
    } catch (err) {
      if (err instanceof GazetteError && err.code === 'E_USER_EXISTS') return exists();
      throw err;
    }
    await audit(deps, c, 'user.invite', `user:${email} (${roles.join(',')})`);
    if (!(await sendInvitation(deps, c, { email, name }))) return c.json(notMailed(email), 502);
    return c.json({ user: { email, name, roles } }, 201);
  });

  api.openapi(resendRoute, async (c) => {
    const parsed = UserEmail.safeParse(c.req.valid('param').email);
    const user = parsed.success ? await deps.users.get(parsed.data) : null;
    if (!user) {
      const who = parsed.success ? parsed.data : '';
      return c.json(refusal('no-user', { email: who }, `There is no desk member ${who}.`), 404);
    }
    if (!user.invitedAt) {
      const error = `${user.email} has already chosen a password; invitations are for new members.`;
      return c.json(refusal('user-active', { email: user.email }, error), 409);
    }
    await audit(deps, c, 'user.invite-resend', `user:${user.email}`);
    if (!(await sendInvitation(deps, c, user))) return c.json(notMailed(user.email), 502);
    return c.json({ user: { email: user.email, name: user.name, roles: user.roles } }, 200);
  });
}
