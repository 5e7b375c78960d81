import type { Hook } from '@hono/zod-openapi';
import type { Context, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { z } from 'zod';
import { CONFIRMATION_MS } from '../../accounts/session-store.ts';
import { isJsonType, UNREADABLE_BODY } from '../../http/unreadable-body.ts';
import { codeOfIssue } from '../../issue/message-code.ts';
import { formatPath } from '../../issue/schema.ts';
import type { Role } from '../../roles.ts';
import { refusal } from './caller-language.ts';
import type { DeskDeps, DeskEnv } from './desk-deps.ts';
import { allow, requireConfirmation } from './guard.ts';
import { ErrorAnswer, type Problem, ValidationAnswer } from './schemas.ts';

/** An answer (or body) of `schema` in JSON, for a route's `responses` or `request.body`. */
export function json<T extends z.ZodType>(schema: T, description: string) {
  return { content: { 'application/json': { schema } }, description } as const;
}

/** The refusals every signed-in route may answer. */
export const REFUSALS = {
  401: json(ErrorAnswer, 'No valid session cookie or API token.'),
  403: json(ErrorAnswer, 'No role of the caller allows it, or a state change from another origin.'),
} as const;

/** 422 for a body or query that does not fit its schema. */
export const INVALID = {
  422: json(ValidationAnswer, 'The body or query is invalid; `errors` lists each problem.'),
};

/** 400 for a body that could not be read (see unreadableBody); routes that take a JSON body answer it. */
export const UNREADABLE = {
  400: json(ErrorAnswer, 'The body is not well-formed JSON, or not sent as Content-Type: application/json.'),
};

/** 404 for a thing that does not exist. */
export const MISSING = { 404: json(ErrorAnswer, 'There is no such thing.') };

/** How a route is documented as signed-in: the session or token scheme, and who may call it. */
export function documented(...roles: Role[]) {
  const security: Record<string, string[]>[] = [{ session: [] }, { token: [] }];
  const who = roles.includes('admin') ? roles : [...roles, 'admin'];
  return { security, description: `Roles: ${who.join(', ')}.` };
}

/** The largest JSON body the desk takes: issue JSON is a few tens of KB. */
export const MAX_JSON_BYTES = 1024 * 1024;

/** How big a route's body may be, and the refusal past it (its message code, values and English sentence). */
export interface BodyCap {
  bytes: number;
  code: string;
  params?: Record<string, string | number>;
  tooLarge: string;
}

/** The cap of every route that takes JSON, or nothing. */
export const JSON_CAP: BodyCap = {
  bytes: MAX_JSON_BYTES,
  code: 'body-too-large',
  tooLarge: 'The body is too large.',
};

/**
 * 413 with `cap.tooLarge` for a body over `cap.bytes`, before it is read: by its Content-Length, or
 * counted as it streams in. Each route declares its own (first of its middleware), so a route that
 * takes more than JSON (an image, a CSV) says so beside its documentation.
 */
export function capped(cap: BodyCap = JSON_CAP): MiddlewareHandler {
  return bodyLimit({
    maxSize: cap.bytes,
    onError: (c) => c.json(refusal(cap.code, cap.params ?? {}, cap.tooLarge), 413),
  });
}

/** What makes a route signed-in, role-checked and its body capped at JSON_CAP, for createRoute. */
export function secured(...roles: Role[]) {
  return securedWithin(JSON_CAP, ...roles);
}

/** secured, for a route whose body may be bigger (or smaller) than JSON_CAP. */
export function securedWithin(cap: BodyCap, ...roles: Role[]) {
  return { middleware: [capped(cap), allow(...roles)], ...documented(...roles) };
}

/** CONFIRMATION_MS in the minutes the API's descriptions say. */
export const CONFIRMED_MINUTES = CONFIRMATION_MS / 60_000;

/**
 * secured, for a change that also needs the signed-in caller to have proved who they are within
 * CONFIRMATION_MS (see requireConfirmation); its 403 says so.
 */
export function securedConfirmed(...roles: Role[]) {
  const plain = secured(...roles);
  return {
    ...plain,
    middleware: [...plain.middleware, requireConfirmation()],
    description: `${plain.description} A session must have signed in or confirmed its identity (POST /me/confirm-identity) within the last ${CONFIRMED_MINUTES} minutes.`,
  };
}

/** The refusals of a route made with securedConfirmed. */
export const CONFIRMED_REFUSALS = {
  401: REFUSALS[401],
  403: json(
    ErrorAnswer,
    `No role of the caller allows it, a state change from another origin, or (code \`confirm-identity\`) no sign-in or confirmation of identity within the last ${CONFIRMED_MINUTES} minutes: POST /me/confirm-identity, then try again.`,
  ),
} as const;

/** Every role of the desk: routes that any signed-in caller may use. */
export const ANY_ROLE: Role[] = ['writer', 'editor', 'sender'];

/**
 * zod-openapi's failed validation becomes 422 `{errors: [{path, message}]}` (docs/architecture.md contract); a
 * JSON body that was never read (no body, or not sent as JSON) is 400, as a malformed one is.
 */
export const validationHook: Hook<unknown, DeskEnv, string, unknown> = (result, c) => {
  if (result.success) return;
  if (result.target === 'json' && !isJsonType(c.req.header('content-type'))) {
    return c.json(refusal('unreadable', {}, UNREADABLE_BODY.type), 400);
  }
  return c.json({ errors: problems(result.error) }, 422);
};

/** A zod error as the 422 answer's `errors`: each problem's place, code, values and sentence. */
export function problems(error: z.ZodError): Problem[] {
  return error.issues.map((i) => ({ path: formatPath(i.path), message: i.message, ...codeOfIssue(i) }));
}

/** Writes one audit entry for the caller of `c`. */
export function audit(deps: Pick<DeskDeps, 'audit'>, c: Context<DeskEnv>, action: string, target: string) {
  return deps.audit.record({ user: c.get('caller').id, action, target });
}
