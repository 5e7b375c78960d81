import type { Context, MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import { allows, type Role } from '../../roles.ts';
import { refusal } from './caller-language.ts';
import { type Caller, type DeskDeps, type DeskEnv, deskOrigin } from './desk-deps.ts';

/** The session cookie's name; `__Host-` under https binds it to this exact origin (RFC 6265bis). */
export function sessionCookieName(config: DeskDeps['config']): string {
  return deskOrigin(config).startsWith('https:') ? '__Host-gazette-session' : 'gazette-session';
}

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

const refuse = (
  c: Context,
  status: 401 | 403,
  code: string,
  error: string,
  params: Record<string, string | number> = {},
) => c.json(refusal(code, params, error), status);

/**
 * Runs before every desk route: answers only the desk's own host (a DNS-rebinding page cannot reach
 * it), marks every answer `no-store`, and refuses a state change whose `Origin` is another site's, or
 * which carries the session cookie without any `Origin` (CSRF; bearer tokens are not sent by browsers).
 */
export function deskGuard(deps: Pick<DeskDeps, 'config'>): MiddlewareHandler {
  const origin = deskOrigin(deps.config);
  const host = new URL(origin).host;
  const cookie = sessionCookieName(deps.config);
  return async (c, next) => {
    if (c.req.header('host') !== host) {
      // `origin` lets the web app say where to go in the reader's language (issue 18).
      return c.json(
        { ...refusal('wrong-host', { origin }, `This desk answers only at ${origin}.`), origin },
        421,
      );
    }
    c.header('Cache-Control', 'no-store');
    if (!SAFE.has(c.req.method)) {
      const from = c.req.header('origin');
      const cross = from !== undefined && from !== origin;
      if (cross || (from === undefined && getCookie(c, cookie) !== undefined)) {
        return refuse(
          c,
          403,
          'cross-origin',
          'Cross-origin request refused: state changes come from the desk itself.',
        );
      }
    }
    await next();
    c.header('Cache-Control', 'no-store');
  };
}

/** The caller of a request: its bearer token's, or its session's user; null when neither is valid. */
async function identify(c: Context, deps: DeskDeps): Promise<Caller | null> {
  const auth = c.req.header('authorization');
  if (auth !== undefined) {
    const token = /^Bearer\s+(\S+)$/i.exec(auth)?.[1];
    const found = token ? await deps.tokens.verify(token) : null;
    return found ? { id: `token:${found.name}`, roles: found.roles, via: 'token' } : null;
  }
  const sessionId = getCookie(c, sessionCookieName(deps.config));
  if (!sessionId) return null;
  const session = await deps.sessions.get(sessionId);
  // The account is read on every request: a removed or disabled user or a changed role counts at once.
  const user = session ? await deps.users.get(session.email) : null;
  if (!session || !user || user.disabled) return null;
  return {
    id: user.email,
    roles: user.roles,
    via: 'session',
    sessionId,
    confirmed: deps.sessions.recentlyConfirmed(session),
    ...(session.sso ? { sso: session.sso } : {}),
  };
}

/** 401 unless the request carries a valid session cookie or API token; sets `caller`. */
export function authenticate(deps: DeskDeps): MiddlewareHandler<DeskEnv> {
  return async (c, next) => {
    const caller = await identify(c, deps);
    if (!caller)
      return refuse(c, 401, 'sign-in', 'Sign in first (POST /desk/api/session), or send an API token.');
    c.set('caller', caller);
    await next();
  };
}

/** What a change that needs a recent proof of identity answers without one (the desk asks for it and tries again). */
const UNCONFIRMED =
  'Confirm it is you first (POST /desk/api/me/confirm-identity with your password or a passkey), then try again.';

/**
 * 403 `confirm-identity` unless the signed-in caller proved who they are within CONFIRMATION_MS:
 * signed in, or confirmed with POST /me/confirm-identity. Adding or removing a second factor needs
 * it, so that a stolen session cookie alone can neither take a factor off an account nor plant one.
 */
export function requireConfirmation(): MiddlewareHandler<DeskEnv> {
  return async (c, next) => {
    const caller = c.get('caller');
    if (caller.via === 'session' && !caller.confirmed) return refuse(c, 403, 'confirm-identity', UNCONFIRMED);
    await next();
  };
}

/** 403 unless the caller holds one of `roles` (admin may do everything). */
export function allow(...roles: Role[]): MiddlewareHandler<DeskEnv> {
  return async (c, next) => {
    if (!allows(c.get('caller').roles, roles)) {
      return refuse(c, 403, 'role', `This needs the role ${roles.join(' or ')}.`, {
        roles: roles.join(', '),
      });
    }
    await next();
  };
}
