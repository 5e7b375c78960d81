import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import type { MiddlewareHandler } from 'hono';
import QRCode from 'qrcode';
import { secondFactorMethods } from '../../../accounts/second-factor-methods.ts';
import type { Role } from '../../../roles.ts';
import { refusal } from '../caller-language.ts';
import type { DeskDeps, DeskEnv } from '../desk-deps.ts';
import {
  ANY_ROLE,
  audit,
  CONFIRMED_REFUSALS,
  INVALID,
  json,
  MISSING,
  REFUSALS,
  secured,
  securedConfirmed,
  UNREADABLE,
} from '../route-kit.ts';
import {
  EmailParam,
  ErrorAnswer,
  RecoveryCodes,
  SecondFactorSettings,
  TotpCode,
  TotpEnrolment,
  TotpStatus,
} from '../schemas.ts';

const CONFLICT = { 409: json(ErrorAnswer, 'A second factor is already enrolled; remove it first.') };

const statusRoute = createRoute({
  method: 'get',
  path: '/me/totp',
  summary:
    'Whether the signed-in user has a second factor, whether their roles need one, and for a single sign-on whether the provider confirmed two factors',
  ...secured(...ANY_ROLE),
  responses: { 200: json(TotpStatus, 'The state'), ...REFUSALS },
});

const enrolRoute = createRoute({
  method: 'post',
  path: '/me/totp',
  summary: 'Start enrolling an authenticator app: a new secret, its otpauth URI and QR code',
  ...securedConfirmed(...ANY_ROLE),
  responses: {
    200: json(TotpEnrolment, 'The secret, until confirmed'),
    ...CONFLICT,
    ...MISSING,
    ...CONFIRMED_REFUSALS,
  },
});

const confirmRoute = createRoute({
  method: 'post',
  path: '/me/totp/confirm',
  summary:
    'Confirm the new secret with a code from it: the ten recovery codes, shown this once (422 on `code` when it is wrong, or the enrolment expired)',
  ...secured(...ANY_ROLE),
  request: { body: { ...json(TotpCode, 'A code from the authenticator app'), required: true } },
  responses: {
    200: json(RecoveryCodes, 'Enrolled'),
    ...MISSING,
    ...INVALID,
    ...UNREADABLE,
    ...REFUSALS,
  },
});

const removeRoute = createRoute({
  method: 'delete',
  path: '/me/totp',
  summary:
    "Remove the signed-in user's authenticator app (a recent sign-in or confirmation of identity needed)",
  ...securedConfirmed(...ANY_ROLE),
  responses: { 204: { description: 'Removed' }, ...MISSING, ...CONFIRMED_REFUSALS },
});

const getPolicyRoute = createRoute({
  method: 'get',
  path: '/settings/second-factor',
  summary: 'The roles whose users must have a second factor (admin)',
  ...secured('admin'),
  responses: { 200: json(SecondFactorSettings, 'The setting'), ...REFUSALS },
});

const putPolicyRoute = createRoute({
  method: 'put',
  path: '/settings/second-factor',
  summary: 'Require a second factor of every user holding one of `roles` (admin)',
  ...secured('admin'),
  request: { body: { ...json(SecondFactorSettings, 'The roles'), required: true } },
  responses: { 200: json(SecondFactorSettings, 'Stored'), ...INVALID, ...UNREADABLE, ...REFUSALS },
});

const resetRoute = createRoute({
  method: 'delete',
  path: '/users/{email}/totp',
  summary: "Remove a user's second factor, when they lost it (admin)",
  ...secured('admin'),
  request: { params: EmailParam },
  responses: { 204: { description: 'Removed' }, ...MISSING, ...REFUSALS },
});

const NO_ACCOUNT = 'Only a signed-in user has a second factor; an API token has none.';
const WRONG_CODE = 'The code is wrong or expired.';

/** 422 on the `code` field (not 401, which would tell the desk the session ended). */
export const wrongCode = () => ({
  errors: [{ path: 'code', code: 'totp-code', params: {}, message: WRONG_CODE }],
});

/** Whether the policy wants a second factor of someone holding `held`. */
async function needed(deps: DeskDeps, held: readonly Role[]): Promise<boolean> {
  const { roles } = await deps.secondFactors.policy();
  return held.some((r) => roles.includes(r));
}

/**
 * GET, POST and DELETE /me/totp, POST /me/totp/confirm: mounted before requireSecondFactor, so a
 * user the policy holds back can still enrol.
 */
export function enrolmentRoutes(api: OpenAPIHono<DeskEnv>, deps: DeskDeps): void {
  api.openapi(statusRoute, async (c) => {
    const caller = c.get('caller');
    const enrolled = caller.via === 'session' && (await deps.secondFactors.enrolled(caller.id));
    const required = caller.via === 'session' && (await needed(deps, caller.roles));
    const sso = caller.via === 'session' ? (caller.sso ?? null) : null;
    return c.json({ enrolled, required, sso }, 200);
  });

  api.openapi(enrolRoute, async (c) => {
    const caller = c.get('caller');
    if (caller.via !== 'session') return c.json({ error: NO_ACCOUNT }, 404);
    const begun = await deps.secondFactors.begin(caller.id);
    if (!begun) return c.json(refusal('totp-enrolled', {}, CONFLICT[409].description), 409);
    // An SVG as a data URI: the desk shows it in an <img>, where no script of it could run.
    const svg = await QRCode.toString(begun.uri, { type: 'svg', margin: 2 });
    const qr = `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`;
    return c.json({ ...begun, qr }, 200);
  });

  api.openapi(confirmRoute, async (c) => {
    const caller = c.get('caller');
    if (caller.via !== 'session') return c.json({ error: NO_ACCOUNT }, 404);
    const codes = await deps.secondFactors.confirm(caller.id, c.req.valid('json').code);
    if (!codes) return c.json(wrongCode(), 422);
    await audit(deps, c, 'user.totp-enrol', `user:${caller.id}`);
    return c.json({ recoveryCodes: codes }, 200);
  });

  api.openapi(removeRoute, async (c) => {
    const caller = c.get('caller');
    if (caller.via !== 'session' || !(await deps.secondFactors.remove(caller.id))) {
      return c.json({ error: 'There is no second factor to remove.' }, 404);
    }
    await audit(deps, c, 'user.totp-remove', `user:${caller.id}`);
    return c.body(null, 204);
  });
}

const SSO_MFA =
  'Your role needs a second factor, and your identity provider did not confirm one: sign in with a second factor there, or with your password and authenticator code.';

/**
 * The admin's policy, enforced on the server: a signed-in user holding a role that needs a second
 * factor and having none (an authenticator app or a passkey) reaches nothing mounted after this (403
 * `second-factor-required`), only what comes before it: who they are, signing out and enrolling. A
 * session of single sign-on has one when the provider said so (`amr`, or OIDC_TRUST_MFA), else 403
 * `second-factor-provider`. API tokens are not people and pass.
 */
export function requireSecondFactor(deps: DeskDeps): MiddlewareHandler<DeskEnv> {
  return async (c, next) => {
    const caller = c.get('caller');
    if (caller.via === 'session' && (await needed(deps, caller.roles))) {
      // A single sign-on never asked for Gazette's own factors: only the provider's own check counts.
      if (caller.sso && !caller.sso.mfa) return c.json(refusal('second-factor-provider', {}, SSO_MFA), 403);
      if (!caller.sso && (await secondFactorMethods(deps, caller.id)).length === 0) {
        const error =
          'Your role needs a second factor: enrol an authenticator app or a passkey on your account page first.';
        return c.json(refusal('second-factor-required', {}, error), 403);
      }
    }
    await next();
  };
}

/** GET and PUT /settings/second-factor, DELETE /users/{email}/totp (admin). */
export function secondFactorAdminRoutes(api: OpenAPIHono<DeskEnv>, deps: DeskDeps): void {
  api.openapi(getPolicyRoute, async (c) => c.json(await deps.secondFactors.policy(), 200));

  api.openapi(putPolicyRoute, async (c) => {
    const policy = c.req.valid('json');
    await deps.secondFactors.setPolicy(policy);
    await audit(deps, c, 'settings.second-factor', `roles:${policy.roles.join(',')}`);
    return c.json(await deps.secondFactors.policy(), 200);
  });

  api.openapi(resetRoute, async (c) => {
    const { email } = c.req.valid('param');
    if (!(await deps.secondFactors.remove(email))) {
      return c.json({ error: `${email} has no second factor.` }, 404);
    }
    // The user's sessions stay: the reset lets them enrol again, it does not say they were intruders.
    await audit(deps, c, 'user.totp-reset', `user:${email}`);
    return c.body(null, 204);
  });
}
