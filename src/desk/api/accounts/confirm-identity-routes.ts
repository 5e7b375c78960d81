import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { verifyPassword } from '../../../accounts/password.ts';
import type { StoredUser } from '../../../accounts/user-store.ts';
import { addressBlock } from '../../../http/address-block.ts';
import { clientIp } from '../../../http/client-ip.ts';
import { createRateLimit } from '../../../rate-limits.ts';
import type { DeskDeps, DeskEnv } from '../desk-deps.ts';
import {
  ANY_ROLE,
  audit,
  CONFIRMED_MINUTES,
  INVALID,
  json,
  MISSING,
  REFUSALS,
  secured,
  UNREADABLE,
} from '../route-kit.ts';
import { ErrorAnswer, IdentityProof, PasskeyRequestOptions } from '../schemas.ts';
import { PASSKEY_REFUSALS } from './passkey-routes.ts';
import { wrongCode } from './second-factor-routes.ts';
import { passwordSignInOff, throttled } from './session-routes.ts';
import { SIGN_IN_RULE } from './sign-in.ts';

const confirmRoute = createRoute({
  method: 'post',
  path: '/me/confirm-identity',
  summary: `Prove again that it is you, with the password, an authenticator code or a passkey: for ${CONFIRMED_MINUTES} minutes this session may add or remove a second factor (422 on the proof's field when it is wrong)`,
  ...secured(...ANY_ROLE),
  request: { body: { ...json(IdentityProof, 'One proof'), required: true } },
  responses: {
    204: { description: `Confirmed for ${CONFIRMED_MINUTES} minutes` },
    403: json(
      ErrorAnswer,
      'No role of the caller allows it, a state change from another origin, or (code `password-sign-in-off`) OIDC_ONLY=on: sign in through the identity provider again instead',
    ),
    429: json(ErrorAnswer, 'Too many failed sign-ins from this address; Retry-After says how long to wait'),
    401: REFUSALS[401],
    ...MISSING,
    ...INVALID,
    ...UNREADABLE,
  },
});

const optionsRoute = createRoute({
  method: 'post',
  path: '/me/confirm-identity/options',
  summary:
    "Start a confirmation with a passkey: the options for navigator.credentials.get() (the signed-in user's passkeys), whose challenge is good for five minutes, once",
  ...secured(...ANY_ROLE),
  responses: { 200: json(PasskeyRequestOptions, 'The options'), ...MISSING, ...REFUSALS },
});

const NO_ACCOUNT = 'Only a signed-in user confirms who they are; an API token cannot.';
const WRONG_PASSWORD = 'The password is wrong.';

/** 422 on the proof's field (not 401, which would tell the desk the session ended). */
const wrong = (path: keyof IdentityProof, code: string, message: string) => ({
  errors: [{ path, code, params: {}, message }],
});

/**
 * POST /me/confirm-identity and its passkey options: the "sudo mode" that adding or removing a
 * second factor needs besides the session (requireConfirmation). A wrong proof counts as a failed sign-in
 * of the client's address (the same throttle), so a stolen session cannot guess the password here.
 * Under OIDC_ONLY the provider alone says who someone is: a new sign-in there confirms.
 */
export function confirmIdentityRoutes(api: OpenAPIHono<DeskEnv>, deps: DeskDeps): void {
  const failures = createRateLimit({
    redis: deps.redis,
    prefix: deps.config.REDIS_PREFIX,
    rule: SIGN_IN_RULE,
  });

  /** Whether `proof` is right for `user`: null when it is, else the 422's body. */
  async function check(user: StoredUser, proof: IdentityProof) {
    if (proof.password !== undefined) {
      return (await verifyPassword(proof.password, user.hash))
        ? null
        : wrong('password', 'password-wrong', WRONG_PASSWORD);
    }
    if (proof.passkey !== undefined) {
      const used = await deps.passkeyCeremony.verifySignIn(proof.passkey, user.email);
      return used.ok ? null : wrong('passkey', used.refusal, PASSKEY_REFUSALS[used.refusal]);
    }
    // The schema lets exactly one through: the code.
    return (await deps.secondFactors.check(user.email, proof.code ?? '')) === 'ok' ? null : wrongCode();
  }

  api.openapi(confirmRoute, async (c) => {
    const caller = c.get('caller');
    const user = caller.via === 'session' ? await deps.users.get(caller.id) : null;
    if (!user || !caller.sessionId) return c.json({ error: NO_ACCOUNT }, 404);
    if (deps.config.OIDC_ONLY) return passwordSignInOff(c);
    const block = addressBlock(clientIp(c, deps.config.TRUST_PROXY));
    const slot = await failures.take(block);
    if (!slot.ok) return c.json(throttled(c, slot.retryAfter), 429);
    const proof = c.req.valid('json');
    const refused = await check(user, proof);
    if (refused) return c.json(refused, 422);
    await failures.give(block);
    await deps.sessions.confirm(caller.sessionId);
    const how = proof.password !== undefined ? 'password' : proof.code !== undefined ? 'code' : 'passkey';
    await audit(deps, c, 'session.confirm-identity', `${user.email} (${how})`);
    return c.body(null, 204);
  });

  api.openapi(optionsRoute, async (c) => {
    const caller = c.get('caller');
    if (caller.via !== 'session') return c.json({ error: NO_ACCOUNT }, 404);
    return c.json({ ...(await deps.passkeyCeremony.signInOptions(caller.id)) }, 200);
  });
}
