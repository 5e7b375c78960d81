import { Secret, TOTP } from 'otpauth';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ACCOUNTS, PASSWORD, startTestDesk, type TestDesk } from '../helpers/desk-server.ts';
import { type SoftAuthenticator, softAuthenticator } from '../helpers/soft-authenticator.ts';

// Issue 22, item 1 (passkeys): enrolment, the second factor after a password, the password-less
// sign-in and every refusal, over real HTTP and a real Redis, with a WebAuthn authenticator in software
// that signs what the server hands out (or what a test makes it sign).

let desk: TestDesk;
beforeAll(async () => {
  desk = await startTestDesk('passkeys');
});
afterEach(async () => {
  await desk.forgetFailures();
  await desk.gazette.secondFactors.setPolicy({ roles: [] });
});
afterAll(() => desk?.close());

type Options = { challenge: string; rp: { id: string }; user: { id: string } };
type Assertion = ReturnType<SoftAuthenticator['get']>;

/** Enrols a passkey named `name` for the user of `cookie` on `authenticator`; its id. */
async function enrol(cookie: string, authenticator: SoftAuthenticator, name = 'MacBook'): Promise<string> {
  const options = (await (await desk.call('POST', '/me/passkeys/options', { cookie })).json()) as Options;
  const added = await desk.call('POST', '/me/passkeys', {
    cookie,
    body: { name, response: authenticator.create(options) },
  });
  expect(added.status).toBe(201);
  return ((await added.json()) as { id: string }).id;
}

const passwordless = async () =>
  (await (await desk.call('POST', '/session/passkey/options')).json()) as { challenge: string };
const signInWith = (passkey: Assertion, headers: Record<string, string> = {}) =>
  desk.call('POST', '/session/passkey', { body: { passkey }, headers });
const withPassword = (email: string, more: Record<string, unknown> = {}) =>
  desk.call('POST', '/session', { body: { email, password: PASSWORD, ...more } });

async function fresh(email: string, roles: ('writer' | 'sender')[] = ['writer']) {
  await desk.gazette.users.add({ email, name: email.split('@')[0] ?? email, roles, password: PASSWORD });
  return { cookie: await desk.signIn(email), authenticator: softAuthenticator(desk.origin) };
}

describe('enrolling a passkey', () => {
  it('stores the credential under the given name; lists and removes it (audited)', async () => {
    const { cookie, authenticator } = await fresh('mika@desk.test');
    const options = (await (
      await desk.call('POST', '/me/passkeys/options', { cookie })
    ).json()) as Options & {
      authenticatorSelection: { residentKey: string };
    };
    expect(options.rp.id).toBe('127.0.0.1');
    expect(options.authenticatorSelection.residentKey).toBe('required');
    // The challenge lives five minutes in Redis.
    const ttl = await desk.t.redis.ttl(`${desk.t.prefix}:passkey-challenge:${options.challenge}`);
    expect(ttl).toBeGreaterThan(290);
    expect(ttl).toBeLessThanOrEqual(300);
    const response = authenticator.create(options);
    const added = await desk.call('POST', '/me/passkeys', { cookie, body: { name: ' MacBook ', response } });
    expect(added.status).toBe(201);
    const id = response.id;
    expect(await added.json()).toEqual({
      id,
      name: 'MacBook',
      createdAt: expect.any(String),
      lastUsedAt: null,
    });
    const stored = await desk.gazette.passkeys.find(id);
    expect(stored?.email).toBe('mika@desk.test');
    expect(stored?.passkey).toMatchObject({
      counter: 0,
      transports: ['internal'],
      publicKey: expect.any(String),
    });
    const list = await desk.call('GET', '/me/passkeys', { cookie });
    expect(await list.json()).toEqual({
      passkeys: [{ id, name: 'MacBook', createdAt: expect.any(String), lastUsedAt: null }],
    });
    // The same challenge again is a replay.
    const again = await desk.call('POST', '/me/passkeys', { cookie, body: { name: 'Again', response } });
    expect(again.status).toBe(422);
    expect(await again.json()).toMatchObject({ errors: [{ path: 'response', code: 'passkey-challenge' }] });
    expect(await desk.gazette.passkeys.list('mika@desk.test')).toHaveLength(1);

    expect((await desk.call('DELETE', `/me/passkeys/${id}`, { cookie })).status).toBe(204);
    expect((await desk.call('DELETE', `/me/passkeys/${id}`, { cookie })).status).toBe(404);
    expect(await desk.gazette.passkeys.find(id)).toBeNull();
    const gone = await signInWith(authenticator.get(await passwordless()));
    expect(await gone.json()).toMatchObject({ code: 'passkey-unknown' });
    const audit = await desk.gazette.audit.since(0);
    for (const action of ['user.passkey-add', 'user.passkey-remove']) {
      expect(audit).toContainEqual(
        expect.objectContaining({
          user: 'mika@desk.test',
          action,
          target: 'user:mika@desk.test passkey:MacBook',
        }),
      );
    }
  });

  it('refuses an expired challenge, another origin, another user’s challenge and a credential someone has', async () => {
    const { cookie, authenticator } = await fresh('ren@desk.test');
    const other = await fresh('yui@desk.test');
    const ask = async (who = cookie) =>
      (await (await desk.call('POST', '/me/passkeys/options', { cookie: who })).json()) as Options;
    const add = (response: unknown, who = cookie) =>
      desk.call('POST', '/me/passkeys', { cookie: who, body: { name: 'Phone', response } });
    const codeOf = async (r: Response) => {
      expect(r.status).toBe(422);
      return ((await r.json()) as { errors: { code: string }[] }).errors[0]?.code;
    };

    // Expired: Redis lets the key go (fast-forwarded here), and the challenge with it.
    const late = await ask();
    await desk.t.redis.pexpire(`${desk.t.prefix}:passkey-challenge:${late.challenge}`, 1);
    await new Promise((r) => setTimeout(r, 20));
    expect(await codeOf(await add(authenticator.create(late)))).toBe('passkey-challenge');
    // Made up.
    const madeUp = { ...(await ask()), challenge: 'bm90LWEtY2hhbGxlbmdl' };
    expect(await codeOf(await add(authenticator.create(madeUp)))).toBe('passkey-challenge');
    // Signed on another origin: refused, and the challenge is spent.
    const phished = await ask();
    expect(await codeOf(await add(authenticator.create(phished, { origin: 'https://desk.evil.test' })))).toBe(
      'passkey-origin',
    );
    expect(await codeOf(await add(authenticator.create(phished)))).toBe('passkey-challenge');
    // Yui's challenge, sent from Ren's session.
    expect(await codeOf(await add(authenticator.create(await ask(other.cookie))))).toBe('passkey-challenge');
    // A registration challenge opens no session.
    const misuse = await ask();
    expect(await desk.gazette.passkeys.list('ren@desk.test')).toEqual([]);
    await enrol(other.cookie, other.authenticator, 'Yui’s key');
    const yuis = [...other.authenticator.credentials.values()][0];
    const crossed = await signInWith(other.authenticator.get({ challenge: misuse.challenge }));
    expect(await crossed.json()).toMatchObject({ code: 'passkey-challenge' });
    // Yui's credential, enrolled again by Ren: it stays Yui's.
    const taken = await add(authenticator.create(await ask(), { ...(yuis ? { reuse: yuis } : {}) }));
    expect(await codeOf(taken)).toBe('passkey-taken');
    expect((await desk.gazette.passkeys.find(yuis?.id ?? ''))?.email).toBe('yui@desk.test');
    // Ren cannot remove Yui's passkey.
    expect((await desk.call('DELETE', `/me/passkeys/${yuis?.id}`, { cookie })).status).toBe(404);
    expect(await desk.gazette.passkeys.has('yui@desk.test')).toBe(true);
    // An attestation made for another relying party does not verify.
    const elsewhere = await ask();
    expect(
      await codeOf(await add(authenticator.create({ ...elsewhere, rp: { id: 'desk.evil.test' } }))),
    ).toBe('passkey-invalid');
    // A name with a line break is refused before anything else.
    const badName = await desk.call('POST', '/me/passkeys', {
      cookie,
      body: { name: 'a\nb', response: authenticator.create(await ask()) },
    });
    expect(badName.status).toBe(422);
    expect(await desk.gazette.passkeys.has('ren@desk.test')).toBe(false);
  });

  it('an API token has no passkeys to enrol', async () => {
    const { token } = await desk.gazette.tokens.create({ name: 'script', roles: ['writer'], by: 'test' });
    expect((await desk.call('POST', '/me/passkeys/options', { token })).status).toBe(404);
    expect(await (await desk.call('GET', '/me/passkeys', { token })).json()).toEqual({ passkeys: [] });
  });
});

describe('signing in with a passkey alone', () => {
  it('a discoverable passkey with user verification opens a session (audited); each use counts', async () => {
    const { cookie, authenticator } = await fresh('aoi@desk.test');
    const id = await enrol(cookie, authenticator);
    const options = (await passwordless()) as {
      challenge: string;
      userVerification: string;
      allowCredentials: [];
    };
    expect(options.userVerification).toBe('required');
    expect(options.allowCredentials).toEqual([]);
    const assertion = authenticator.get(options);
    const opened = await signInWith(assertion);
    expect(opened.status).toBe(200);
    expect(await opened.json()).toMatchObject({ user: { email: 'aoi@desk.test', roles: ['writer'] } });
    const session = opened.headers.get('set-cookie')?.split(';')[0] ?? '';
    expect(session).toMatch(/^gazette-session=/);
    expect((await desk.call('GET', '/issues', { cookie: session })).status).toBe(200);
    const stored = await desk.gazette.passkeys.find(id);
    expect(stored?.passkey.counter).toBe(1);
    expect(stored?.passkey.lastUsedAt).not.toBeNull();
    // Replayed: the challenge was taken.
    const replay = await signInWith(assertion, { 'accept-language': 'ja' });
    expect(replay.status).toBe(401);
    expect(replay.headers.get('set-cookie')).toBeNull();
    expect(await replay.json()).toMatchObject({
      code: 'passkey-challenge',
      message: 'パスキーの確認は期限切れか、使用済みです。もう一度お試しください。',
    });
    const audit = await desk.gazette.audit.since(0);
    expect(audit).toContainEqual(
      expect.objectContaining({
        user: 'aoi@desk.test',
        action: 'session.passkey-sign-in',
        target: 'aoi@desk.test',
      }),
    );
  });

  it('refuses another origin, no user verification, an old counter, a forged signature and a stranger’s key', async () => {
    const { cookie, authenticator } = await fresh('sora@desk.test');
    await enrol(cookie, authenticator);
    const codeOf = async (r: Response) => {
      expect(r.status).toBe(401);
      expect(r.headers.get('set-cookie')).toBeNull();
      return ((await r.json()) as { code: string }).code;
    };
    expect(
      await codeOf(
        await signInWith(authenticator.get(await passwordless(), { origin: 'http://127.0.0.1:1' })),
      ),
    ).toBe('passkey-origin');
    expect(
      await codeOf(await signInWith(authenticator.get(await passwordless(), { userVerified: false }))),
    ).toBe('passkey-invalid');
    // A signature counter that went back (a cloned authenticator) is refused.
    expect((await signInWith(authenticator.get(await passwordless()))).status).toBe(200);
    const held = [...authenticator.credentials.values()][0];
    const counted = held?.counter ?? 0;
    if (held) held.counter = counted - 2;
    expect(await codeOf(await signInWith(authenticator.get(await passwordless())))).toBe('passkey-invalid');
    if (held) held.counter = counted + 10;
    const forged = authenticator.get(await passwordless());
    forged.response.signature = authenticator.get(await passwordless()).response.signature;
    expect(await codeOf(await signInWith(forged))).toBe('passkey-invalid');
    const stranger = softAuthenticator(desk.origin);
    stranger.create({ challenge: 'eA', rp: { id: '127.0.0.1' }, user: { id: 'eA' } });
    expect(await codeOf(await signInWith(stranger.get(await passwordless())))).toBe('passkey-unknown');
    // A body that is no assertion at all.
    const junk = await desk.call('POST', '/session/passkey', { body: { passkey: { id: '../x' } } });
    expect(junk.status).toBe(422);
    // Still good after all that (five failures from this address: the next try would be the sixth).
    await desk.forgetFailures();
    expect((await signInWith(authenticator.get(await passwordless()))).status).toBe(200);
  });

  it('failed passkey sign-ins count like wrong passwords: the 6th within 15 minutes is 429', async () => {
    const stranger = softAuthenticator(desk.origin);
    stranger.create({ challenge: 'eA', rp: { id: '127.0.0.1' }, user: { id: 'eA' } });
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await signInWith(stranger.get(await passwordless()))).status);
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429]);
  });
  it('hands out at most 30 password-less challenges per address in 5 minutes', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 31; i++) statuses.push((await desk.call('POST', '/session/passkey/options')).status);
    expect(statuses).toEqual([...Array(30).fill(200), 429]);
    const keys = await desk.t.redis.keys(`${desk.t.prefix}:passkey-challenge:*`);
    expect(keys.length).toBeGreaterThanOrEqual(30);
  });
});

describe('a passkey as the second factor', () => {
  it('after the right password, the 401 offers the passkey; its assertion signs in', async () => {
    const { cookie, authenticator } = await fresh('hina@desk.test');
    const id = await enrol(cookie, authenticator);
    const asked = await withPassword('hina@desk.test');
    expect(asked.status).toBe(401);
    const body = (await asked.json()) as {
      secondFactor: boolean;
      methods: string[];
      code: string;
      passkey: { challenge: string; allowCredentials: { id: string }[] };
    };
    expect(body).toMatchObject({ secondFactor: true, methods: ['passkey'], code: 'second-factor-passkey' });
    expect(body.passkey.allowCredentials.map((c) => c.id)).toEqual([id]);
    // The wrong password says nothing of passkeys.
    const wrong = await desk.call('POST', '/session', {
      body: { email: 'hina@desk.test', password: 'nope' },
    });
    expect(await wrong.json()).toEqual({ error: 'Wrong e-mail or password.' });
    const signed = authenticator.get(body.passkey);
    const ok = await withPassword('hina@desk.test', { passkey: signed });
    expect(ok.status).toBe(200);
    expect(ok.headers.get('set-cookie')).toContain('gazette-session=');
    const replay = await withPassword('hina@desk.test', { passkey: signed });
    expect(replay.status).toBe(401);
    expect(await replay.json()).toMatchObject({ secondFactor: true, code: 'passkey-challenge' });
    // A second-factor challenge is not a password-less one.
    const fresh401 = (await (await withPassword('hina@desk.test')).json()) as {
      passkey: { challenge: string };
    };
    expect(await (await signInWith(authenticator.get(fresh401.passkey))).json()).toMatchObject({
      code: 'passkey-challenge',
    });
  });

  it('someone else’s passkey is refused; with TOTP too, both methods are offered', async () => {
    const kai = await fresh('kai@desk.test');
    await enrol(kai.cookie, kai.authenticator);
    const mei = await fresh('mei@desk.test');
    await enrol(mei.cookie, mei.authenticator);
    const asked = (await (await withPassword('kai@desk.test')).json()) as { passkey: { challenge: string } };
    const meis = [...mei.authenticator.credentials.values()][0];
    const crossed = await withPassword('kai@desk.test', {
      passkey: mei.authenticator.get(
        { challenge: asked.passkey.challenge },
        meis ? { credential: meis } : {},
      ),
    });
    expect(crossed.status).toBe(401);
    expect(crossed.headers.get('set-cookie')).toBeNull();
    expect(await crossed.json()).toMatchObject({ secondFactor: true, code: 'passkey-not-yours' });

    const begun = (await (await desk.call('POST', '/me/totp', { cookie: kai.cookie })).json()) as {
      secret: string;
    };
    const code = TOTP.generate({ secret: Secret.fromBase32(begun.secret) });
    expect((await desk.call('POST', '/me/totp/confirm', { cookie: kai.cookie, body: { code } })).status).toBe(
      200,
    );
    expect(await (await withPassword('kai@desk.test')).json()).toMatchObject({
      methods: ['totp', 'passkey'],
      code: 'second-factor',
      passkey: { challenge: expect.any(String) },
    });
  });
});

describe('the policy and the admin', () => {
  it('a sender held back by the policy enrols a passkey, then passes; a passkey alone satisfies it', async () => {
    await desk.gazette.secondFactors.setPolicy({ roles: ['sender'] });
    const { cookie, authenticator } = await fresh('taro@desk.test', ['sender']);
    expect((await desk.call('GET', '/issues', { cookie })).status).toBe(403);
    await enrol(cookie, authenticator);
    expect((await desk.call('GET', '/issues', { cookie })).status).toBe(200);
    expect(await desk.gazette.secondFactors.enrolled('taro@desk.test')).toBe(false);
    // Password-less, the session is as good.
    const opened = await signInWith(authenticator.get(await passwordless()));
    const session = opened.headers.get('set-cookie')?.split(';')[0] ?? '';
    expect((await desk.call('GET', '/sends', { cookie: session })).status).toBe(200);
  });

  it('an admin removes a user’s passkeys (audited); nobody else may', async () => {
    const { cookie, authenticator } = await fresh('lost@desk.test');
    await enrol(cookie, authenticator, 'Phone');
    await enrol(cookie, authenticator, 'Laptop');
    const path = `/users/${encodeURIComponent('lost@desk.test')}/passkeys`;
    const { token } = await desk.gazette.tokens.create({ name: 'no-reset', roles: ['sender'], by: 'test' });
    expect((await desk.call('DELETE', path, { token })).status).toBe(403);
    expect(await desk.gazette.passkeys.list('lost@desk.test')).toHaveLength(2);
    const admin = await desk.signIn(ACCOUNTS.admin);
    expect((await desk.call('DELETE', path, { cookie: admin })).status).toBe(204);
    expect((await desk.call('DELETE', path, { cookie: admin })).status).toBe(404);
    expect(await desk.gazette.passkeys.list('lost@desk.test')).toEqual([]);
    for (const held of authenticator.credentials.keys())
      expect(await desk.gazette.passkeys.find(held)).toBeNull();
    expect((await withPassword('lost@desk.test')).status).toBe(200);
    const audit = await desk.gazette.audit.since(0);
    expect(audit).toContainEqual(
      expect.objectContaining({
        user: ACCOUNTS.admin,
        action: 'user.passkey-reset',
        target: 'user:lost@desk.test passkeys:2',
      }),
    );
  });
});
