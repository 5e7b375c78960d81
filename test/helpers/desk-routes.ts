import type { OpenAPIHono } from '@hono/zod-openapi';
import type { MiddlewareHandler } from 'hono';
import { emptyDeskApi } from '../../src/desk/api/desk-api.ts';
import type { DeskEnv } from '../../src/desk/api/desk-deps.ts';

/** Lets every request through as a signed-in writer (the caller the routes' role checks read). */
export const signedIn: MiddlewareHandler<DeskEnv> = async (c, next) => {
  c.set('caller', { id: 'writer@desk.test', roles: ['writer'], via: 'session' });
  await next();
};

/**
 * A desk API that holds only the routes `register` adds, behind `guard` instead of the desk's
 * session check: a route's own test, without Redis accounts. Errors are thrown at the test.
 */
export function deskRoutes(
  register: (api: OpenAPIHono<DeskEnv>) => void,
  guard: MiddlewareHandler<DeskEnv> = signedIn,
): OpenAPIHono<DeskEnv> {
  const api = emptyDeskApi((message) => {
    throw new Error(message);
  });
  api.use('*', guard);
  register(api);
  return api;
}
