import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { deleteCookie } from 'hono/cookie';
import { SSO_START_PATH } from '../../../accounts/sso/provider-client.ts';
import { clientIp } from '../../../http/client-ip.ts';
import { senderName } from '../../../send/message/message-template.ts';
import { refusal } from '../caller-language.ts';
import type { DeskDeps, DeskEnv } from '../desk-deps.ts';
import { sessionCookieName } from '../guard.ts';
import { ANY_ROLE, audit, capped, INVALID, json, REFUSALS, secured, UNREADABLE } from '../route-kit.ts';
import { ErrorAnswer, SessionAnswer, SignIn, SignInMethods, SignInRefusal } from '../schemas.ts';
import { startSession } from './session-cookie.ts';
import { createSignIn } from './sign-in.ts';

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
      'Wrong e-mail or password (the same answer for both); with `secondFactor: true`, the password was right and a code from the second factor is missing or wrong',
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

const INVALID_SIGN_IN = 'Wrong e-mail or password.';
const PASSWORD_OFF = 'Password sign-in is turned off here: sign in through your identity provider.';
const SECOND_FACTOR = 'Enter the code from your authenticator app, or a recovery code.';

/** POST /session and GET /sign-in-methods (before authentication: they are how one signs in). */
export function signInRoutes(api: OpenAPIHono<DeskEnv>, deps: DeskDeps): void {
  const signIn = createSignIn({
    redis: deps.redis,
    prefix: deps.config.REDIS_PREFIX,
    users: deps.users,
    secondFactors: deps.secondFactors,
  });
  api.openapi(methodsRoute, (c) => {
    const sso = deps.sso ? { name: deps.sso.name, path: SSO_START_PATH } : null;
    return c.json({ password: !deps.config.OIDC_ONLY, sso }, 200);
  });
  api.openapi(signInRoute, async (c) => {
    if (deps.config.OIDC_ONLY) return c.json(refusal('password-sign-in-off', {}, PASSWORD_OFF), 403);
    const { email, password, code } = c.req.valid('json');
    // The same client address as the public routes: X-Forwarded-For only from a TRUST_PROXY peer.
    const result = await signIn(email, password, clientIp(c, deps.config.TRUST_PROXY), code);
    if (!result.ok && result.reason === 'throttled') {
      c.header('Retry-After', String(result.retryAfter));
      const minutes = Math.ceil(result.retryAfter / 60);
      const wait = minutes === 1 ? 'a minute' : `${minutes} minutes`;
      return c.json({ error: `Too many failed sign-ins from this address; try again in ${wait}.` }, 429);
    }
    if (!result.ok && result.reason === 'second-factor') {
      return c.json({ ...refusal('second-factor', {}, SECOND_FACTOR), secondFactor: true }, 401);
    }
    if (!result.ok) return c.json({ error: INVALID_SIGN_IN }, 401);
    await startSession(c, deps, result.user.email);
    await deps.audit.record({
      user: result.user.email,
      action: 'session.sign-in',
      target: result.user.email,
    });
    const { email: address, name: userName, roles } = result.user;
    return c.json({ user: { email: address, name: userName, roles }, sender: sender(deps) }, 200);
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
