import type { Context } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import { deviceLabel } from '../../../accounts/device-label.ts';
import { SESSION_ABSOLUTE_MS } from '../../../accounts/session-store.ts';
import { clientIp } from '../../../http/client-ip.ts';
import { type DeskDeps, deskOrigin } from '../desk-deps.ts';
import { sessionCookieName } from '../guard.ts';

/**
 * Starts a desk session for `email` and sets its HttpOnly, SameSite=Strict cookie (Secure under
 * https), after a password, a passkey or a single sign-on alike, noting the device and address it
 * came from and the user's last sign-in. A new id at every sign-in (session fixation): an id someone
 * planted before is dropped.
 */
export async function startSession(
  c: Context,
  deps: Pick<DeskDeps, 'config' | 'sessions' | 'users'>,
  email: string,
  sso?: { mfa: boolean },
): Promise<void> {
  const name = sessionCookieName(deps.config);
  const old = getCookie(c, name);
  if (old) await deps.sessions.destroy(old);
  const origin = {
    device: deviceLabel(c.req.header('user-agent')),
    ip: clientIp(c, deps.config.TRUST_PROXY),
  };
  const id = await deps.sessions.create(email, origin, sso);
  await deps.users.markSignedIn(email);
  setCookie(c, name, id, {
    httpOnly: true,
    sameSite: 'Strict',
    secure: deskOrigin(deps.config).startsWith('https:'),
    path: '/',
    maxAge: SESSION_ABSOLUTE_MS / 1000,
  });
}
