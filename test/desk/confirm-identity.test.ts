import { Secret, TOTP } from 'otpauth';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CONFIRMATION_MS } from '../../src/accounts/session-store.ts';
import { PASSWORD, startTestDesk, type TestDesk } from '../helpers/desk-server.ts';
import { softAuthenticator } from '../helpers/soft-authenticator.ts';

// The "sudo mode" before a second factor is removed: a session proves who its person is at sign-in
// and again with POST /me/confirm-identity, and a removal needs a proof of the last ten minutes. Real
// HTTP and Redis; every store's clock is the test's, moved past the window instead of waited out.

let now = Date.now();
let desk: TestDesk;
beforeAll(async () => {
  desk = await startTestDesk('confirm-identity', {}, { clock: () => now });
});
afterEach(() => desk.forgetFailures());
afterAll(() => desk?.close());

const totp = (secret: string) =>
  TOTP.generate({ secret: Secret.fromBase32(secret), timestamp: now, period: 30, digits: 6 });

/** A new writer `email`, signed in, with a passkey and an authenticator app enrolled. */
async function member(email: string) {
  await desk.gazette.users.add({ email, name: 'M', roles: ['writer'], password: PASSWORD });
  const cookie = await desk.signIn(email);
  const authenticator = softAuthenticator(desk.origin);
  const options = await (await desk.call('POST', '/me/passkeys/options', { cookie })).json();
  const added = await desk.call('POST', '/me/passkeys', {
    cookie,
    body: { name: 'Phone', response: authenticator.create(options as never) },
  });
  expect(added.status).toBe(201);
  const passkey = ((await added.json()) as { id: string }).id;
  const { secret } = (await (await desk.call('POST', '/me/totp', { cookie })).json()) as { secret: string };
  expect((await desk.call('POST', '/me/totp/confirm', { cookie, body: { code: totp(secret) } })).status).toBe(
    200,
  );
  return { email, cookie, authenticator, passkey, secret };
}

const removePasskey = (cookie: string, id: string, headers: Record<string, string> = {}) =>
  desk.call('DELETE', `/me/passkeys/${id}`, { cookie, headers });
const removeTotp = (cookie: string) => desk.call('DELETE', '/me/totp', { cookie });
const confirm = (cookie: string, body: unknown) =>
  desk.call('POST', '/me/confirm-identity', { cookie, body });

describe('removing a second factor needs a recent proof of identity', () => {
  it('a session signed in more than ten minutes ago is refused (403 confirm-identity, in Japanese); nothing is removed', async () => {
    const m = await member('aya@desk.test');
    now += CONFIRMATION_MS + 1000;
    const passkey = await removePasskey(m.cookie, m.passkey, { 'accept-language': 'ja' });
    expect(passkey.status).toBe(403);
    const body = (await passkey.json()) as { code: string; message: string };
    expect(body.code).toBe('confirm-identity');
    expect(body.message).toContain('パスワード');
    expect(body.message).not.toMatch(/[A-Za-z]{3,}/);
    const app = await removeTotp(m.cookie);
    expect(app.status).toBe(403);
    expect(((await app.json()) as { code: string }).code).toBe('confirm-identity');
    expect(await desk.gazette.passkeys.list(m.email)).toHaveLength(1);
    expect(await desk.gazette.secondFactors.enrolled(m.email)).toBe(true);
    // The session itself is alive: other things still work.
    expect((await desk.call('GET', '/me/passkeys', { cookie: m.cookie })).status).toBe(200);
  });

  it('the password confirms for ten minutes (audited); a wrong one is refused on its field and counts as a failed sign-in', async () => {
    const m = await member('ben@desk.test');
    now += CONFIRMATION_MS + 1000;
    const wrong = await confirm(m.cookie, { password: 'not the password' });
    expect(wrong.status).toBe(422);
    expect(await wrong.json()).toMatchObject({ errors: [{ path: 'password', code: 'password-wrong' }] });
    expect((await removePasskey(m.cookie, m.passkey)).status).toBe(403);
    // The audit log's entries carry Redis's own time.
    const since = Date.now();
    expect((await confirm(m.cookie, { password: PASSWORD })).status).toBe(204);
    expect(await desk.gazette.audit.since(since)).toContainEqual(
      expect.objectContaining({
        user: m.email,
        action: 'session.confirm-identity',
        target: `${m.email} (password)`,
      }),
    );
    now += CONFIRMATION_MS - 60_000;
    expect((await removePasskey(m.cookie, m.passkey)).status).toBe(204);
    // The window closes ten minutes after the confirmation, not after the last removal.
    now += 61_000;
    expect((await removeTotp(m.cookie)).status).toBe(403);
    expect(await desk.gazette.secondFactors.enrolled(m.email)).toBe(true);
  });

  it('a passkey of the account confirms; a replayed assertion or another account’s passkey does not', async () => {
    const m = await member('chie@desk.test');
    const other = await member('dan@desk.test');
    now += CONFIRMATION_MS + 1000;
    const options = await (
      await desk.call('POST', '/me/confirm-identity/options', { cookie: m.cookie })
    ).json();
    expect((options as { allowCredentials: { id: string }[] }).allowCredentials.map((c) => c.id)).toEqual([
      m.passkey,
    ]);
    const theirs = other.authenticator.get(options as never);
    const refused = await confirm(m.cookie, { passkey: theirs });
    expect(refused.status).toBe(422);
    expect(await refused.json()).toMatchObject({ errors: [{ path: 'passkey', code: 'passkey-not-yours' }] });
    const fresh = await (
      await desk.call('POST', '/me/confirm-identity/options', { cookie: m.cookie })
    ).json();
    const signed = m.authenticator.get(fresh as never);
    expect((await confirm(m.cookie, { passkey: signed })).status).toBe(204);
    const replay = await confirm(m.cookie, { passkey: signed });
    expect(await replay.json()).toMatchObject({ errors: [{ path: 'passkey', code: 'passkey-challenge' }] });
    expect((await removeTotp(m.cookie)).status).toBe(204);
  });

  it('a code of the authenticator app confirms; the proof is one of the three, never none or two', async () => {
    const m = await member('eri@desk.test');
    now += CONFIRMATION_MS + 1000;
    for (const body of [{}, { password: PASSWORD, code: '123456' }]) {
      const res = await confirm(m.cookie, body);
      expect(res.status).toBe(422);
      expect(await res.json()).toMatchObject({ errors: [{ code: 'one-proof' }] });
    }
    expect((await removePasskey(m.cookie, m.passkey)).status).toBe(403);
    // The code's step must be later than the enrolment's.
    now += 30_000;
    expect((await confirm(m.cookie, { code: totp(m.secret) })).status).toBe(204);
    expect((await removePasskey(m.cookie, m.passkey)).status).toBe(204);
  });

  it('a confirmation counts for its own session only; a new sign-in is a proof of its own', async () => {
    const m = await member('fumi@desk.test');
    now += CONFIRMATION_MS + 1000;
    // The code's step must be later than the enrolment's.
    now += 30_000;
    const signedIn = await desk.call('POST', '/session', {
      body: { email: m.email, password: PASSWORD, code: totp(m.secret) },
    });
    expect(signedIn.status).toBe(200);
    const other = signedIn.headers.get('set-cookie')?.split(';')[0] ?? '';
    expect((await removePasskey(m.cookie, m.passkey)).status).toBe(403);
    expect((await removePasskey(other, m.passkey)).status).toBe(204);
  });

  it('wrong passwords here share the sign-in throttle: the sixth failure within 15 minutes is 429', async () => {
    const m = await member('gin@desk.test');
    for (let i = 0; i < 5; i++)
      expect((await confirm(m.cookie, { password: `wrong ${i}` })).status).toBe(422);
    const held = await confirm(m.cookie, { password: PASSWORD });
    expect(held.status).toBe(429);
    expect(held.headers.get('retry-after')).toMatch(/^\d+$/);
    // And the other way round: a password sign-in from here is held too.
    expect(
      (await desk.call('POST', '/session', { body: { email: m.email, password: PASSWORD } })).status,
    ).toBe(429);
  });

  it('an API token has no identity to confirm', async () => {
    const { token } = await desk.gazette.tokens.create({ name: 'cms', roles: ['writer'], by: 'test' });
    expect(
      (await desk.call('POST', '/me/confirm-identity', { token, body: { password: PASSWORD } })).status,
    ).toBe(404);
    expect((await desk.call('POST', '/me/confirm-identity/options', { token })).status).toBe(404);
  });
});

describe('adding a second factor needs the same proof: a stolen session must not plant its own passkey', () => {
  it('a session signed in over ten minutes ago cannot add a passkey or start an authenticator app until it confirms', async () => {
    await desk.gazette.users.add({
      email: 'rin@desk.test',
      name: 'E',
      roles: ['writer'],
      password: PASSWORD,
    });
    const cookie = await desk.signIn('rin@desk.test');
    now += CONFIRMATION_MS + 1000;
    for (const path of ['/me/passkeys/options', '/me/totp']) {
      const held = await desk.call('POST', path, { cookie });
      expect(held.status).toBe(403);
      expect(((await held.json()) as { code: string }).code).toBe('confirm-identity');
    }
    const authenticator = softAuthenticator(desk.origin);
    expect((await confirm(cookie, { password: PASSWORD })).status).toBe(204);
    const options = await (await desk.call('POST', '/me/passkeys/options', { cookie })).json();
    const added = await desk.call('POST', '/me/passkeys', {
      cookie,
      body: { name: 'Laptop', response: authenticator.create(options as never) },
    });
    expect(added.status).toBe(201);
    expect((await desk.call('POST', '/me/totp', { cookie })).status).toBe(200);
    expect(await desk.gazette.passkeys.list('rin@desk.test')).toHaveLength(1);
  });
});
