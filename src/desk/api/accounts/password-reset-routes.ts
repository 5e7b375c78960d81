import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { mailAccountLink } from '../../../accounts/account-link-sender.ts';
import type { LinkLookup } from '../../../accounts/account-link-store.ts';
import { checkPassword, MIN_PASSWORD, type StoredUser } from '../../../accounts/user-store.ts';
import { GazetteError } from '../../../errors.ts';
import { addressBlock } from '../../../http/address-block.ts';
import { clientIp } from '../../../http/client-ip.ts';
import { createRateLimit, type RateLimit } from '../../../rate-limits.ts';
import { callerLanguage, refusal } from '../caller-language.ts';
import type { DeskDeps, DeskEnv } from '../desk-deps.ts';
import { capped, INVALID, json, UNREADABLE } from '../route-kit.ts';
import {
  AccountLinkAnswer,
  ErrorAnswer,
  LinkTokenParam,
  NewPassword,
  PasswordResetAsk,
  PasswordResetAsked,
} from '../schemas.ts';
import { passwordSignInOff } from './session-routes.ts';
import { SIGN_IN_FAILURES, SIGN_IN_WINDOW_S } from './sign-in.ts';

const THROTTLED = {
  429: json(
    ErrorAnswer,
    'Too many requests from this address or for this account; Retry-After says how long to wait',
  ),
};
const GONE = {
  410: json(ErrorAnswer, 'The link was used, has expired, was replaced by a newer one, or never was'),
};

const askRoute = createRoute({
  method: 'post',
  path: '/password-reset',
  summary: 'Forgot the password: mails a single-use link valid 30 minutes, when the address is an account',
  middleware: [capped()],
  request: { body: { ...json(PasswordResetAsk, 'The address of the account'), required: true } },
  responses: {
    202: json(PasswordResetAsked, 'The same answer whether the address belongs to an account or not'),
    403: json(ErrorAnswer, 'OIDC_ONLY=on (code `password-sign-in-off`): passwords are not used here'),
    ...THROTTLED,
    ...INVALID,
    ...UNREADABLE,
  },
});

const linkRoute = createRoute({
  method: 'get',
  path: '/password-reset/{token}',
  summary: 'What a link is for (a reset or an invitation) and whose password it sets, without using it',
  request: { params: LinkTokenParam },
  responses: { 200: json(AccountLinkAnswer, 'The link works'), ...GONE },
});

const useRoute = createRoute({
  method: 'post',
  path: '/password-reset/{token}',
  summary: "Sets the password with a link's token; every session of the account ends",
  middleware: [capped()],
  request: { params: LinkTokenParam, body: { ...json(NewPassword, 'The new password'), required: true } },
  responses: {
    204: { description: 'The password is set; sign in with it' },
    ...GONE,
    ...THROTTLED,
    ...INVALID,
    ...UNREADABLE,
  },
});

/**
 * The account a live link sets the password of; null for a link that is not live, and for one made
 * before the account was (removed and added again since: the old link is not the new member's).
 */
async function holderOf(deps: DeskDeps, found: LinkLookup): Promise<StoredUser | null> {
  if (found?.state !== 'live') return null;
  const user = await deps.users.get(found.link.email);
  return user && Date.parse(user.createdAt) <= found.link.issuedAt ? user : null;
}

const ASKED = 'If the address belongs to a desk account, a link to set a new password is on its way.';
const LINK_GONE = 'This link has been used or has expired. Ask for a new one.';

/** 429 with Retry-After, coded. */
function throttled(c: Context, retryAfter: number) {
  c.header('Retry-After', String(retryAfter));
  const minutes = Math.ceil(retryAfter / 60);
  return c.json(
    refusal('reset-throttled', { minutes }, `Too many requests from here; try again in ${minutes} minutes.`),
    429,
  );
}

/**
 * POST /password-reset, GET and POST /password-reset/{token} (issue 22), before authentication: whoever
 * forgot their password has no session. Throttled as sign-in is (SIGN_IN_FAILURES in its window): asks
 * per client address and per account address, refused link uses per client address.
 */
export function passwordResetRoutes(api: OpenAPIHono<DeskEnv>, deps: DeskDeps): void {
  const limit = (name: string): RateLimit =>
    createRateLimit({
      redis: deps.redis,
      prefix: deps.config.REDIS_PREFIX,
      rule: { name, points: SIGN_IN_FAILURES, seconds: SIGN_IN_WINDOW_S },
    });
  const byAddress = limit('password-reset-ip');
  const byAccount = limit('password-reset-email');
  const from = (c: Context) => addressBlock(clientIp(c, deps.config.TRUST_PROXY));

  api.openapi(askRoute, async (c) => {
    if (deps.config.OIDC_ONLY) return passwordSignInOff(c);
    const { email } = c.req.valid('json');
    const block = from(c);
    // Counted for every address, known or not, so the throttle tells nothing either.
    const slot = await byAddress.take(block);
    if (!slot.ok) return throttled(c, slot.retryAfter);
    const mine = await byAccount.take(email);
    if (!mine.ok) return throttled(c, mine.retryAfter);
    const user = await deps.users.get(email);
    await deps.audit.record({
      user: `ip:${block}`,
      action: 'user.password-reset-ask',
      target: user ? `user:${email}` : `unknown:${email}`,
    });
    if (user) {
      // The link is made and mailed after the answer, which so takes as long for an unknown address.
      const locale = callerLanguage(c);
      void (async () => {
        const { token } = await deps.accountLinks.issue(user.email, 'reset');
        await mailAccountLink(deps, { to: user.email, name: user.name, purpose: 'reset', token, locale });
      })().catch((err: Error) => deps.log(`password reset mail to ${user.email} failed: ${err.message}`));
    }
    return c.json({ message: ASKED }, 202);
  });

  api.openapi(linkRoute, async (c) => {
    const found = await deps.accountLinks.peek(c.req.valid('param').token);
    const user = await holderOf(deps, found);
    if (!found || !user) return c.json(refusal('account-link-gone', {}, LINK_GONE), 410);
    const { purpose } = found.link;
    return c.json({ purpose, email: user.email, name: user.name, minPassword: MIN_PASSWORD }, 200);
  });

  api.openapi(useRoute, async (c) => {
    const { token } = c.req.valid('param');
    const { password } = c.req.valid('json');
    const block = from(c);
    const slot = await byAddress.peek(block);
    if (!slot.ok) return throttled(c, slot.retryAfter);
    // A password too short is refused before the link is used up, so the same link can try again.
    try {
      checkPassword(password);
    } catch (err) {
      if (!(err instanceof GazetteError)) throw err;
      const problem = { path: 'password', code: err.messageCode, params: err.params, message: err.message };
      return c.json({ errors: [problem] }, 422);
    }
    const found = await deps.accountLinks.use(token);
    const user = await holderOf(deps, found);
    const done = user !== null && (await deps.users.setPassword(user.email, password));
    if (!found || !done) {
      // A refused link counts against the address as a failed sign-in does, which bounds these entries too.
      await byAddress.take(block);
      await deps.audit.record({
        user: `ip:${block}`,
        action: 'user.password-reset-refused',
        // A live link refused is one whose account went (or was made again) since.
        target: found
          ? `user:${found.link.email} (${found.state === 'live' ? 'account-gone' : found.state})`
          : 'link:unknown',
      });
      return c.json(refusal('account-link-gone', {}, LINK_GONE), 410);
    }
    const { email, purpose } = found.link;
    // Whoever held a session of this account (perhaps the reason for the reset) holds it no longer.
    await deps.sessions.destroyAll(email);
    const action = purpose === 'invite' ? 'user.invite-accept' : 'user.password-reset';
    await deps.audit.record({ user: email, action, target: `user:${email}` });
    return c.body(null, 204);
  });
}
