import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import type { PasskeyRefusal } from '../../../accounts/passkey-ceremony.ts';
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
  Passkey,
  PasskeyCreationOptions,
  PasskeyList,
  PasskeyParam,
  PasskeyRegistration,
} from '../schemas.ts';

const listRoute = createRoute({
  method: 'get',
  path: '/me/passkeys',
  summary: "The signed-in user's passkeys",
  ...secured(...ANY_ROLE),
  responses: { 200: json(PasskeyList, 'Oldest first'), ...REFUSALS },
});

const optionsRoute = createRoute({
  method: 'post',
  path: '/me/passkeys/options',
  summary:
    'Start enrolling a passkey: the options for navigator.credentials.create(), whose challenge is good for five minutes, once.',
  ...securedConfirmed(...ANY_ROLE),
  responses: { 200: json(PasskeyCreationOptions, 'The options'), ...MISSING, ...CONFIRMED_REFUSALS },
});

const addRoute = createRoute({
  method: 'post',
  path: '/me/passkeys',
  summary:
    'Store the new passkey under the name the user gave it (422 on `response` when the challenge is unknown, expired or used, the origin is not the desk’s, the attestation does not verify, or the credential is registered already)',
  ...securedConfirmed(...ANY_ROLE),
  request: { body: { ...json(PasskeyRegistration, 'Its name and the attestation'), required: true } },
  responses: {
    201: json(Passkey, 'Stored'),
    ...MISSING,
    ...INVALID,
    ...UNREADABLE,
    ...CONFIRMED_REFUSALS,
  },
});

const removeRoute = createRoute({
  method: 'delete',
  path: '/me/passkeys/{id}',
  summary:
    'Remove one of the signed-in user’s passkeys (a recent sign-in or confirmation of identity needed)',
  ...securedConfirmed(...ANY_ROLE),
  request: { params: PasskeyParam },
  responses: { 204: { description: 'Removed' }, ...MISSING, ...CONFIRMED_REFUSALS },
});

const resetRoute = createRoute({
  method: 'delete',
  path: '/users/{email}/passkeys',
  summary: 'Remove every passkey of a user, when they lost them (admin)',
  ...secured('admin'),
  request: { params: EmailParam },
  responses: { 204: { description: 'Removed' }, ...MISSING, ...REFUSALS },
});

const NO_ACCOUNT = 'Only a signed-in user has passkeys; an API token has none.';
const MISSING_PASSKEY = 'There is no such passkey.';

/** The English sentence of each refusal (the catalogue words it in the caller's language). */
export const PASSKEY_REFUSALS: Record<PasskeyRefusal, string> = {
  'passkey-challenge': 'The passkey request expired or was used already; try again.',
  'passkey-origin': 'The passkey was used on another address than the desk’s own.',
  'passkey-unknown': 'This passkey is not registered with the desk.',
  'passkey-not-yours': 'This passkey belongs to another account.',
  'passkey-invalid': 'The passkey’s answer could not be verified.',
  'passkey-taken': 'This passkey is registered already.',
};

/** 422 on the `response` field (not 401, which would tell the desk the session ended). */
const refusedResponse = (code: PasskeyRefusal) => ({
  errors: [{ path: 'response', code, params: {}, message: PASSKEY_REFUSALS[code] }],
});

/**
 * GET and POST /me/passkeys, POST /me/passkeys/options, DELETE /me/passkeys/{id}: mounted before
 * requireSecondFactor, so a user the policy holds back can enrol a passkey as their second factor.
 */
export function passkeyRoutes(api: OpenAPIHono<DeskEnv>, deps: DeskDeps): void {
  api.openapi(listRoute, async (c) => {
    const caller = c.get('caller');
    const stored = caller.via === 'session' ? await deps.passkeys.list(caller.id) : [];
    const passkeys = stored.map(({ id, name, createdAt, lastUsedAt }) => ({
      id,
      name,
      createdAt,
      lastUsedAt,
    }));
    return c.json({ passkeys }, 200);
  });

  api.openapi(optionsRoute, async (c) => {
    const caller = c.get('caller');
    const user = caller.via === 'session' ? await deps.users.get(caller.id) : null;
    if (!user) return c.json({ error: NO_ACCOUNT }, 404);
    return c.json({ ...(await deps.passkeyCeremony.registrationOptions(user)) }, 200);
  });

  api.openapi(addRoute, async (c) => {
    const caller = c.get('caller');
    if (caller.via !== 'session') return c.json({ error: NO_ACCOUNT }, 404);
    const { name, response } = c.req.valid('json');
    const added = await deps.passkeyCeremony.register(caller.id, name, response);
    if (!added.ok) return c.json(refusedResponse(added.refusal), 422);
    await audit(deps, c, 'user.passkey-add', `user:${caller.id} passkey:${name}`);
    const { id, createdAt, lastUsedAt } = added.passkey;
    return c.json({ id, name, createdAt, lastUsedAt }, 201);
  });

  api.openapi(removeRoute, async (c) => {
    const caller = c.get('caller');
    const { id } = c.req.valid('param');
    const passkey = (await deps.passkeys.list(caller.id)).find((p) => p.id === id);
    // Someone else's passkey is as missing as one that never was.
    if (caller.via !== 'session' || !passkey || !(await deps.passkeys.remove(caller.id, id))) {
      return c.json(refusal('passkey-missing', {}, MISSING_PASSKEY), 404);
    }
    await audit(deps, c, 'user.passkey-remove', `user:${caller.id} passkey:${passkey.name}`);
    return c.body(null, 204);
  });
}

/** DELETE /users/{email}/passkeys (admin). */
export function passkeyAdminRoutes(api: OpenAPIHono<DeskEnv>, deps: DeskDeps): void {
  api.openapi(resetRoute, async (c) => {
    const { email } = c.req.valid('param');
    const removed = await deps.passkeys.removeAll(email);
    if (removed === 0) return c.json(refusal('passkey-none', { email }, `${email} has no passkey.`), 404);
    // As with the TOTP reset, the user's sessions stay: they lost a key, they were not intruders.
    await audit(deps, c, 'user.passkey-reset', `user:${email} passkeys:${removed}`);
    return c.body(null, 204);
  });
}
