import { Validator } from '@seriousme/openapi-schema-validator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../src/roles.ts';
import { localLinks, startTestDesk, type TestDesk } from '../helpers/desk-server.ts';
import { issue201Json } from '../helpers/issues.ts';

const ALL: Role[] = ['writer', 'editor', 'sender', 'admin'];
const WRITE: Role[] = ['writer', 'editor', 'sender', 'admin'];
const SENDERS: Role[] = ['sender', 'admin'];
const ADMIN: Role[] = ['admin'];

/**
 * Every route of the contract and who may use it; anyone else gets 403, no caller 401.
 */
const TABLE: [method: string, path: string, allowed: Role[]][] = [
  ['GET', '/session', ALL],
  ['DELETE', '/session', ALL],
  ['GET', '/me/notifications', ALL],
  ['PUT', '/me/notifications', ALL],
  ['GET', '/me/totp', ALL],
  ['POST', '/me/totp', ALL],
  ['POST', '/me/totp/confirm', ALL],
  ['DELETE', '/me/totp', ALL],
  ['GET', '/settings/second-factor', ADMIN],
  ['PUT', '/settings/second-factor', ADMIN],
  ['GET', '/me/sessions', ALL],
  ['DELETE', '/me/sessions', ALL],
  ['DELETE', '/me/sessions/{id}', ALL],
  ['GET', '/users', ADMIN],
  ['PATCH', '/users/{email}', ADMIN],
  ['DELETE', '/users/{email}', ADMIN],
  ['GET', '/users/{email}/sessions', ADMIN],
  ['DELETE', '/users/{email}/sessions/{id}', ADMIN],
  ['DELETE', '/users/{email}/totp', ADMIN],
  ['GET', '/me/passkeys', ALL],
  ['POST', '/me/passkeys/options', ALL],
  ['POST', '/me/passkeys', ALL],
  ['DELETE', '/me/passkeys/{id}', ALL],
  ['POST', '/me/confirm-identity', ALL],
  ['POST', '/me/confirm-identity/options', ALL],
  ['DELETE', '/users/{email}/passkeys', ADMIN],
  ['POST', '/users', ADMIN],
  ['POST', '/users/{email}/invite', ADMIN],
  ['GET', '/issues', ALL],
  ['POST', '/issues', WRITE],
  ['GET', '/issues/{number}', ALL],
  ['PUT', '/issues/{number}', WRITE],
  ['GET', '/issues/{number}/revisions', ALL],
  ['GET', '/issues/{number}/revisions/{revision}', ALL],
  ['POST', '/issues/{number}/review', WRITE],
  ['POST', '/issues/{number}/approve', ['editor', 'admin']],
  ['POST', '/issues/{number}/request-changes', ['editor', 'admin']],
  ['POST', '/issues/{number}/editions', WRITE],
  ['GET', '/issues/{number}/editions/{locale}', ALL],
  ['PUT', '/issues/{number}/editions/{locale}', WRITE],
  ['POST', '/issues/{number}/editions/{locale}/review', WRITE],
  ['POST', '/issues/{number}/editions/{locale}/approve', ['editor', 'admin']],
  ['GET', '/issues/{number}/comments', ALL],
  ['POST', '/issues/{number}/comments', ALL],
  ['GET', '/issues/{number}/timeline', ALL],
  ['GET', '/issues/{number}/preview', ALL],
  ['GET', '/issues/{number}/checks', ALL],
  ['POST', '/issues/{number}/preview', WRITE],
  ['GET', '/previews/{id}', ALL],
  ['GET', '/issues/{number}/images', ALL],
  ['POST', '/issues/{number}/images', WRITE],
  ['POST', '/issues/import', WRITE],
  ['POST', '/sends', SENDERS],
  ['GET', '/sends', ALL],
  ['GET', '/sends/{id}', ALL],
  ['GET', '/sends/{id}/report', ALL],
  ['POST', '/sends/{id}/pause', SENDERS],
  ['POST', '/sends/{id}/resume', SENDERS],
  ['POST', '/sends/{id}/cancel', SENDERS],
  ['POST', '/sends/{id}/reschedule', SENDERS],
  ['GET', '/lists', SENDERS],
  ['POST', '/lists', ADMIN],
  ['PATCH', '/lists/{name}', ADMIN],
  ['GET', '/subscribers', ADMIN],
  ['POST', '/subscribers', ADMIN],
  ['PATCH', '/subscribers/{email}', ADMIN],
  ['POST', '/subscribers/{email}/unsubscribe', ADMIN],
  ['GET', '/subscribers/{email}', ADMIN],
  ['POST', '/subscribers/import', ADMIN],
  ['GET', '/subscribers/export', ADMIN],
  ['GET', '/audit', ADMIN],
  ['GET', '/openapi.json', ALL],
  ['GET', '/docs', ALL],
  ['GET', '/docs/scalar.js', ALL],
];

let desk: TestDesk;
const tokens: Partial<Record<Role, string>> = {};

beforeAll(async () => {
  desk = await startTestDesk('desk-roles');
  for (const role of ALL) {
    tokens[role] = (await desk.gazette.tokens.create({ name: role, roles: [role], by: 'test' })).token;
  }
  const json = localLinks(issue201Json(), desk.links);
  await desk.call('POST', '/issues', { token: tokens.writer, body: { issue: json } });
});

afterAll(async () => {
  await desk?.close();
});

const concrete = (path: string) =>
  path
    .replace('{number}', '201')
    .replace('{revision}', '1')
    .replace('{locale}', 'en')
    .replace('{id}', 'snosuchsend')
    .replace('{email}', 'nobody@example.org')
    .replace('{name}', 'no-such-list');

describe('every route × every role', () => {
  for (const [method, path, allowed] of TABLE) {
    it(`${method} ${path}: ${allowed.join(', ')}`, async () => {
      const anonymous = await desk.call(method, concrete(path), { body: method === 'GET' ? undefined : {} });
      expect(anonymous.status).toBe(401);
      for (const role of ALL) {
        const res = await desk.call(method, concrete(path), {
          token: tokens[role] as string,
          // An empty body: allowed callers get past the role check and meet validation (422) or a 404.
          body: method === 'GET' || method === 'DELETE' ? undefined : {},
        });
        if (allowed.includes(role)) {
          expect([401, 403], `${role} ${res.status}`).not.toContain(res.status);
          // Every route of the table is routed: none falls through to the API's "no such route".
          expect(await res.text()).not.toContain('There is no such desk API route.');
        } else expect(res.status, role).toBe(403);
        expect(res.headers.get('cache-control')).toBe('no-store');
      }
    });
  }

  it('Bull Board at /desk/queues answers admins only', async () => {
    const get = (token?: string) =>
      fetch(`${desk.origin}/desk/queues`, token ? { headers: { authorization: `Bearer ${token}` } } : {});
    expect((await get()).status).toBe(401);
    for (const role of ['writer', 'editor', 'sender'] as const)
      expect((await get(tokens[role])).status).toBe(403);
    const admin = await get(tokens.admin);
    expect(admin.status).toBe(200);
    expect(await admin.text()).toContain('Gazette queues');
  });
});

describe('the OpenAPI document', () => {
  it('is valid OpenAPI 3.1 and lists every route of the table, and no other', async () => {
    const res = await desk.call('GET', '/openapi.json', { token: tokens.writer });
    const doc = (await res.json()) as { openapi: string; paths: Record<string, Record<string, unknown>> };
    expect(doc.openapi).toBe('3.1.0');
    const validator = new Validator();
    const result = await validator.validate(doc);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    const listed = Object.entries(doc.paths)
      .flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`))
      .sort();
    const expected = TABLE.filter(([, p]) => p !== '/openapi.json' && !p.startsWith('/docs'))
      .map(([m, p]) => `${m} ${p}`)
      // The routes without a caller: signing in (with a password or a passkey), and setting a forgotten password.
      .concat(
        'POST /session',
        'POST /session/passkey/options',
        'POST /session/passkey',
        'GET /sign-in-methods',
        'POST /password-reset',
        'GET /password-reset/{token}',
        'POST /password-reset/{token}',
      )
      .sort();
    expect(listed).toEqual(expected);
  });

  it('lists the routes that take or give more than JSON with their bodies, answers, size limit and roles', async () => {
    const res = await desk.call('GET', '/openapi.json', { token: tokens.writer });
    // biome-ignore lint/suspicious/noExplicitAny: the test walks the raw document
    const { paths } = (await res.json()) as { paths: Record<string, Record<string, any>> };
    const preview = paths['/issues/{number}/preview']?.post;
    expect(preview.requestBody.content['application/json'].schema.$ref).toBe(
      '#/components/schemas/DraftPreviewBody',
    );
    expect(preview.responses['200'].content['application/json'].schema.$ref).toBe(
      '#/components/schemas/DraftPreview',
    );
    expect(Object.keys(paths['/previews/{id}']?.get.responses['200'].content)).toEqual(['text/html']);
    expect(
      paths['/issues/{number}/images']?.get.responses['200'].content['application/json'].schema.$ref,
    ).toBe('#/components/schemas/ImageList');
    const upload = paths['/issues/{number}/images']?.post;
    expect(Object.keys(upload.requestBody.content)).toEqual(['image/png', 'image/jpeg', 'image/webp']);
    expect(upload.requestBody.description).toContain('15 MB');
    expect(upload.responses['413']).toBeDefined();
    expect(upload.responses['201'].content['application/json'].schema.$ref).toBe(
      '#/components/schemas/StoredImage',
    );
    expect(
      paths['/issues/{number}/revisions/{revision}']?.get.responses['200'].content['application/json'].schema
        .$ref,
    ).toBe('#/components/schemas/Revision');
    const exporting = paths['/subscribers/export']?.get;
    expect(Object.keys(exporting.responses['200'].content)).toEqual(['text/csv', 'application/x-ndjson']);
    expect(exporting.description).toBe('Roles: admin.');
    for (const op of [preview, upload, exporting]) {
      expect(op.security).toEqual([{ session: [] }, { token: [] }]);
    }
  });

  it('is readable as docs with a token (curl)', async () => {
    const res = await desk.call('GET', '/docs', { token: tokens.writer });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('/desk/api/openapi.json');
  });
});
