import type { Context, Hono } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import {
  ProviderError,
  type ProviderFailure,
  SSO_CALLBACK_PATH,
  SSO_START_PATH,
} from '../../../accounts/sso/provider-client.ts';
import { createSsoAccounts, type SsoRefusalReason } from '../../../accounts/sso/sso-account.ts';
import { SSO_FLOW_S } from '../../../accounts/sso/sso-flow-store.ts';
import { addressBlock } from '../../../http/address-block.ts';
import { clientIp } from '../../../http/client-ip.ts';
import { createRateLimit } from '../../../rate-limits.ts';
import { type DeskDeps, deskOrigin } from '../desk-deps.ts';
import { deskGuard } from '../guard.ts';
import { DESK_HOME, deskReturnPath } from './desk-return-path.ts';
import { startSession } from './session-cookie.ts';

/**
 * Sign-ins one client address may begin in 10 minutes: each keeps a flow (about 200 bytes) in Redis
 * until it returns. Generous, as a whole city hall may come from one address at nine o'clock.
 */
export const SSO_STARTS = 300;

/** Why the desk's sign-in page says a single sign-on did not go through (its words: desk-words `ssoError…`). */
type SsoRefusal = ProviderFailure | 'expired' | 'busy' | SsoRefusalReason;

/**
 * GET /desk/auth/oidc (`?next=/desk/…`) sends the browser to the identity provider; GET
 * /desk/auth/oidc/callback takes it back (issue 22). The flow's `state` rides in a short-lived
 * HttpOnly SameSite=Lax cookie (Lax: the provider's redirect back is a cross-site navigation) and
 * keys the flow in Redis, taken once; a state that is not this browser's, expired or used is refused.
 * Every refusal lands on the desk's sign-in page, which words it in the user's language: no stack,
 * nothing of the provider's text.
 */
export function mountSsoRoutes(app: Hono, deps: DeskDeps): void {
  const { sso, config } = deps;
  if (!sso) return;
  const guard = deskGuard(deps);
  const secure = deskOrigin(config).startsWith('https:');
  const flowCookie = secure ? '__Host-gazette-sso' : 'gazette-sso';
  const starts = createRateLimit({
    redis: deps.redis,
    prefix: config.REDIS_PREFIX,
    rule: { name: 'sso-start', points: SSO_STARTS, seconds: 600 },
  });
  const accountOf = createSsoAccounts({
    users: deps.users,
    links: deps.ssoLinks,
    audit: deps.audit,
    mapping: config.OIDC_ROLES ?? new Map(),
    roleClaim: config.OIDC_ROLE_CLAIM,
    trustMfa: config.OIDC_TRUST_MFA,
  });
  const refuse = (c: Context, why: SsoRefusal) => c.redirect(`${DESK_HOME}?sso-error=${why}`, 302);
  const failed = (c: Context, err: unknown) => {
    if (!(err instanceof ProviderError)) throw err;
    deps.log(`single sign-on: ${err.message}`);
    return refuse(c, err.reason);
  };

  app.get(SSO_START_PATH, guard, async (c) => {
    const slot = await starts.take(addressBlock(clientIp(c, config.TRUST_PROXY)));
    if (!slot.ok) return refuse(c, 'busy');
    const started = await sso.start(deskReturnPath(c.req.query('next'))).catch((err) => err as Error);
    if (started instanceof Error) return failed(c, started);
    await deps.ssoFlows.put(started.state, started.flow);
    setCookie(c, flowCookie, started.state, {
      httpOnly: true,
      sameSite: 'Lax',
      secure,
      path: '/',
      maxAge: SSO_FLOW_S,
    });
    return c.redirect(started.url.href, 302);
  });

  app.get(SSO_CALLBACK_PATH, guard, async (c) => {
    const state = getCookie(c, flowCookie);
    deleteCookie(c, flowCookie, { path: '/', secure });
    // Taken by this browser's own state, whatever the query says: a tampered one also ends the flow.
    const flow = state ? await deps.ssoFlows.take(state) : null;
    if (!state || !flow || c.req.query('state') !== state) return refuse(c, 'expired');
    // The redirect URI as registered, with the provider's query: never the Host header's idea of it.
    const url = new URL(`${deskOrigin(config)}${SSO_CALLBACK_PATH}${new URL(c.req.url).search}`);
    const claims = await sso.finish(url, state, flow).catch((err) => err as Error);
    if (claims instanceof Error) return failed(c, claims);
    const result = await accountOf(claims);
    if (!result.ok) {
      if (typeof claims.email === 'string') {
        const target = `${claims.email.slice(0, 320)} (${result.reason})`;
        const user = `sso:${claims.sub.slice(0, 200)}`;
        await deps.audit.record({ user, action: 'session.sso-refused', target });
      }
      return refuse(c, result.reason);
    }
    await startSession(c, deps, result.user.email, { mfa: result.mfa });
    await deps.audit.record({
      user: result.user.email,
      action: 'session.sign-in-sso',
      target: result.mfa ? `${result.user.email} (mfa)` : result.user.email,
    });
    return c.redirect(`${flow.next}?sso=signed-in`, 302);
  });
}
