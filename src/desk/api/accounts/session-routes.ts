import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { deleteCookie } from 'hono/cookie';
import { SSO_START_PATH } from '../../../accounts/sso/provider-client.ts';
import type { StoredUser } from '../../../accounts/user-store.ts';
import { addressBlock } from '../../../http/address-block.ts';
import { clientIp } from '../../../http/client-ip.ts';
import { createRateLimit } from '../../../rate-limits.ts';
import { senderName } from '../../../send/message/message-template.ts';
import { refusal } from '../caller-language.ts';
import type { DeskDeps, DeskEnv } from '../desk-deps.ts';
import { sessionCookieName } from '../guard.ts';
import { ANY_ROLE, audit, capped, INVALID, json, REFUSALS, secured, UNREADABLE } from '../route-kit.ts';
import {
  ErrorAnswer,
  PasskeyRequestOptions,
  PasskeySignIn,
  SessionAnswer,
  SignIn,
  SignInMethods,
  SignInRefusal,
} from '../schemas.ts';
import { PASSKEY_REFUSALS } from './passkey-routes.ts';
import { startSession } from './session-cookie.ts';
import { createSignIn, type SignInResult } from './sign-in.ts';

const signInRoute = createRoute({
  method: 'post',
  path: '/session',
  summary: 'Sign in: sets an HttpOnly, SameSite=Strict session cookie',
  middleware: [capped()],
  request: {
    body: {
      ...json(SignIn, 'E-mail and password, and the code of a second factor when the user has one'),
      required: true,
    },
  },
  responses: {
    200: json(SessionAnswer, 'Signed in'),
    401: json(
      SignInRefusal,
      'Wrong e-mail or password (the same answer for both); with `secondFactor: true`, the password was right and a code from the second factor is missing or wrong; with code `account-disabled`, the password was right and an admin disabled the account',
    ),
    403: json(
      ErrorAnswer,
      'A state change from another origin, or (code `password-sign-in-off`) OIDC_ONLY=on: sign in through the identity provider',
    ),
    429: json(ErrorAnswer, 'Too many failed sign-ins from this address; Retry-After says how long to wait'),
    ...INVALID,
    ...UNREADABLE,
  },
});

const methodsRoute = createRoute({
  method: 'get',
  path: '/sign-in-methods',
  summary: 'How one signs in here: whether with a password, and through which identity provider',
  responses: { 200: json(SignInMethods, 'The ways in') },
});

const whoRoute = createRoute({
  method: 'get',
  path: '/session',
  summary: 'The signed-in user (or the token) and its roles',
  ...secured(...ANY_ROLE),
  responses: { 200: json(SessionAnswer, 'The caller'), ...REFUSALS },
});

const signOutRoute = createRoute({
  method: 'delete',
  path: '/session',
  summary: 'Sign out: the session ends everywhere at once',
  ...secured(...ANY_ROLE),
  responses: { 204: { description: 'Signed out' }, ...REFUSALS },
});

const passkeyOptionsRoute = createRoute({
  method: 'post',
  path: '/session/passkey/options',
  summary:
    'Start a password-less sign-in: the options for navigator.credentials.get() (any passkey of the desk), whose challenge is good for five minutes, once',
  middleware: [capped()],
  responses: {
    200: json(PasskeyRequestOptions, 'The options'),
    403: REFUSALS[403],
    429: json(ErrorAnswer, 'Too many requests from this address; Retry-After says how long to wait'),
  },
});

const passkeySignInRoute = createRoute({
  method: 'post',
  path: '/session/passkey',
  summary: 'Sign in with a passkey alone (user verification required): sets the session cookie',
  middleware: [capped()],
  request: { body: { ...json(PasskeySignIn, 'The signed assertion'), required: true } },
  responses: {
    200: json(SessionAnswer, 'Signed in'),
    401: json(
      ErrorAnswer,
      'Refused: `code` says why (challenge unknown, expired or used; another origin; a passkey nobody has; a signature that does not verify; `account-disabled`: an admin disabled the account)',
    ),
    403: REFUSALS[403],
    429: json(ErrorAnswer, 'Too many failed sign-ins from this address; Retry-After says how long to wait'),
    ...INVALID,
    ...UNREADABLE,
  },
});

const INVALID_SIGN_IN = 'Wrong e-mail or password.';
const PASSWORD_OFF = 'Password sign-in is turned off here: sign in through your identity provider.';
const DISABLED = 'This account is disabled; ask an admin of the desk.';
const SECOND_FACTOR = 'Enter the code from your authenticator app, or a recovery code.';
const SECOND_FACTOR_PASSKEY = 'Confirm the sign-in with your passkey.';
/** Password-less sign-ins started per address within 5 minutes: each keeps a challenge in Redis for as long. */
const PASSKEY_OPTIONS = { name: 'sign-in-passkey-options-ip', points: 30, seconds: 5 * 60 };

/** The 429 of a throttled sign-in (too many `what` from this address), with Retry-After. */
export function throttled(c: Context, retryAfter: number, what = 'failed sign-ins') {
  c.header('Retry-After', String(retryAfter));
  const minutes = Math.ceil(retryAfter / 60);
  const wait = minutes === 1 ? 'a minute' : `${minutes} minutes`;
  return { error: `Too many ${what} from this address; try again in ${wait}.` };
}

/**
 * The 403 under OIDC_ONLY=on: every sign-in goes through the identity provider, a password's and a
 * passkey's alike, and no password is set by mail either.
 */
export function passwordSignInOff(c: Context) {
  return c.json(refusal('password-sign-in-off', {}, PASSWORD_OFF), 403);
}

/** POST /session, POST /session/passkey/options, POST /session/passkey and GET /sign-in-methods (before authentication: they are how one signs in). */
export function signInRoutes(api: OpenAPIHono<DeskEnv>, deps: DeskDeps): void {
  const signIn = createSignIn({ ...deps, prefix: deps.config.REDIS_PREFIX });
  const optionsLimit = createRateLimit({
    redis: deps.redis,
    prefix: deps.config.REDIS_PREFIX,
    rule: PASSKEY_OPTIONS,
  });
  api.openapi(methodsRoute, (c) => {
    const sso = deps.sso ? { name: deps.sso.name, path: SSO_START_PATH } : null;
    return c.json({ password: !deps.config.OIDC_ONLY, sso }, 200);
  });

  /** Starts a session of `user`: a new cookie, the audit entry, and the answer. */
  async function open(c: Context<DeskEnv>, user: StoredUser, action: string) {
    await startSession(c, deps, user.email);
    await deps.audit.record({ user: user.email, action, target: user.email });
    const { email, name: userName, roles } = user;
    return c.json({ user: { email, name: userName, roles }, sender: sender(deps) }, 200);
  }

  /** The 401 that asks for the second factor: the methods the user has, and a passkey challenge among them. */
  async function askSecondFactor(result: Extract<SignInResult, { reason: 'second-factor' }>) {
    const passkey = result.methods.includes('passkey')
      ? { passkey: { ...(await deps.passkeyCeremony.signInOptions(result.email)) } }
      : {};
    const asked = result.refusal
      ? refusal(result.refusal, {}, PASSKEY_REFUSALS[result.refusal])
      : result.methods.includes('totp')
        ? refusal('second-factor', {}, SECOND_FACTOR)
        : refusal('second-factor-passkey', {}, SECOND_FACTOR_PASSKEY);
    return { ...asked, secondFactor: true, methods: result.methods, ...passkey };
  }

  api.openapi(signInRoute, async (c) => {
    if (deps.config.OIDC_ONLY) return passwordSignInOff(c);
    const { email, password, code, passkey } = c.req.valid('json');
    // The same client address as the public routes: X-Forwarded-For only from a TRUST_PROXY peer.
    const ip = clientIp(c, deps.config.TRUST_PROXY);
    const result = await signIn.withPassword(email, password, ip, { code, passkey });
    if (result.ok) return open(c, result.user, 'session.sign-in');
    if (result.reason === 'throttled') return c.json(throttled(c, result.retryAfter), 429);
    if (result.reason === 'second-factor') return c.json(await askSecondFactor(result), 401);
    if (result.reason === 'disabled') return c.json(refusal('account-disabled', {}, DISABLED), 401);
    return c.json({ error: INVALID_SIGN_IN }, 401);
  });

  api.openapi(passkeyOptionsRoute, async (c) => {
    const slot = await optionsLimit.take(addressBlock(clientIp(c, deps.config.TRUST_PROXY)));
    if (!slot.ok) return c.json(throttled(c, slot.retryAfter, 'passkey sign-ins started'), 429);
    return c.json({ ...(await deps.passkeyCeremony.signInOptions()) }, 200);
  });

  api.openapi(passkeySignInRoute, async (c) => {
    if (deps.config.OIDC_ONLY) return passwordSignInOff(c);
    const ip = clientIp(c, deps.config.TRUST_PROXY);
    const result = await signIn.withPasskey(c.req.valid('json').passkey, ip);
    if (result.ok) return open(c, result.user, 'session.passkey-sign-in');
    if (result.reason === 'throttled') return c.json(throttled(c, result.retryAfter), 429);
    if (result.reason === 'disabled') return c.json(refusal('account-disabled', {}, DISABLED), 401);
    const code = result.reason === 'passkey' ? result.refusal : 'passkey-invalid';
    return c.json(refusal(code, {}, PASSKEY_REFUSALS[code]), 401);
  });
}

/** The name a reader's inbox shows as the sender: MAIL_FROM's display name, else its address. */
function sender(deps: DeskDeps): string {
  return senderName(deps.config.MAIL_FROM) || deps.config.MAIL_FROM.replace(/^.*<|>.*$/g, '');
}

/** GET and DELETE /session. */
export function sessionRoutes(api: OpenAPIHono<DeskEnv>, deps: DeskDeps): void {
  const name = sessionCookieName(deps.config);
  api.openapi(whoRoute, async (c) => {
    const caller = c.get('caller');
    const user = caller.via === 'session' ? await deps.users.get(caller.id) : null;
    return c.json(
      { user: { email: caller.id, name: user?.name ?? '', roles: caller.roles }, sender: sender(deps) },
      200,
    );
  });
  api.openapi(signOutRoute, async (c) => {
    const caller = c.get('caller');
    if (caller.sessionId) await deps.sessions.destroy(caller.sessionId);
    deleteCookie(c, name, { path: '/', secure: name.startsWith('__Host-') });
    await audit(deps, c, 'session.sign-out', caller.id);
    return c.body(null, 204);
  });
}
