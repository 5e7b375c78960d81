import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { deviceLabel } from '../../../accounts/device-label.ts';
import { SESSION_ABSOLUTE_MS } from '../../../accounts/session-store.ts';
import { clientIp } from '../../../http/client-ip.ts';
import { senderName } from '../../../send/message/message-template.ts';
import { refusal } from '../caller-language.ts';
import { type DeskDeps, type DeskEnv, deskOrigin } from '../desk-deps.ts';
import { sessionCookieName } from '../guard.ts';
import { ANY_ROLE, audit, capped, INVALID, json, REFUSALS, secured, UNREADABLE } from '../route-kit.ts';
import { ErrorAnswer, SessionAnswer, SignIn, SignInRefusal } from '../schemas.ts';
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
      'Wrong e-mail or password (the same answer for both); with `secondFactor: true`, the password was right and a code from the second factor is missing or wrong; with code `account-disabled`, the password was right and an admin disabled the account',
    ),
    403: REFUSALS[403],
    429: json(ErrorAnswer, 'Too many failed sign-ins from this address; Retry-After says how long to wait'),
    ...INVALID,
    ...UNREADABLE,
  },
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
const DISABLED = 'This account is disabled; ask an admin of the desk.';
const SECOND_FACTOR = 'Enter the code from your authenticator app, or a recovery code.';

/** POST /session (before authentication: it is how one signs in). */
export function signInRoutes(api: OpenAPIHono<DeskEnv>, deps: DeskDeps): void {
  const signIn = createSignIn({
    redis: deps.redis,
    prefix: deps.config.REDIS_PREFIX,
    users: deps.users,
    secondFactors: deps.secondFactors,
  });
  const name = sessionCookieName(deps.config);
  const secure = deskOrigin(deps.config).startsWith('https:');
  api.openapi(signInRoute, async (c) => {
    const { email, password, code } = c.req.valid('json');
    // The same client address as the public routes: X-Forwarded-For only from a TRUST_PROXY peer.
    const ip = clientIp(c, deps.config.TRUST_PROXY);
    const result = await signIn(email, password, ip, code);
    if (!result.ok && result.reason === 'throttled') {
      c.header('Retry-After', String(result.retryAfter));
      const minutes = Math.ceil(result.retryAfter / 60);
      const wait = minutes === 1 ? 'a minute' : `${minutes} minutes`;
      return c.json({ error: `Too many failed sign-ins from this address; try again in ${wait}.` }, 429);
    }
    if (!result.ok && result.reason === 'second-factor') {
      return c.json({ ...refusal('second-factor', {}, SECOND_FACTOR), secondFactor: true }, 401);
    }
    if (!result.ok && result.reason === 'disabled') {
      return c.json(refusal('account-disabled', {}, DISABLED), 401);
    }
    if (!result.ok) return c.json({ error: INVALID_SIGN_IN }, 401);
    // A new id at every sign-in (session fixation): an id someone planted before is dropped.
    const old = getCookie(c, name);
    if (old) await deps.sessions.destroy(old);
    const device = deviceLabel(c.req.header('user-agent'));
    const id = await deps.sessions.create(result.user.email, { device, ip });
    await deps.users.markSignedIn(result.user.email);
    setCookie(c, name, id, {
      httpOnly: true,
      sameSite: 'Strict',
      secure,
      path: '/',
      maxAge: SESSION_ABSOLUTE_MS / 1000,
    });
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
