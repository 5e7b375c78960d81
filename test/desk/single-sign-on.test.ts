import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SSO_STARTS } from '../../src/desk/api/accounts/sso-routes.ts';
import { freePort } from '../../src/free-port.ts';
import { deleteKeys } from '../../src/redis.ts';
import { ACCOUNTS, PASSWORD, startTestDesk, type TestDesk } from '../helpers/desk-server.ts';
import { type CookieJar, cookieJar, startTestIdp, type TestIdp } from '../helpers/oidc-idp.ts';

// Issue 22, item 3 over real HTTP: a real OpenID Provider (oidc-provider) in this process, the desk's
// /desk/auth/oidc routes with openid-client, a real Redis. The browser is a fetch with a cookie jar
// that follows each redirect by hand, so a test can change what a browser would carry.

let idp: TestIdp;
let desk: TestDesk;
/** A second desk with OIDC_ONLY=on and OIDC_TRUST_MFA=on, on the same provider. */
let only: TestDesk;
let logs: string[] = [];

const MAPPING = 'newsletter-editors=writer,editor;newsletter-senders=sender;gazette-admins=admin';

beforeAll(async () => {
  const origin = `http://127.0.0.1:${await freePort()}`;
  const onlyOrigin = `http://127.0.0.1:${await freePort()}`;
  const callbackOf = (o: string) => `${o}/desk/auth/oidc/callback`;
  idp = await startTestIdp([callbackOf(origin), callbackOf(onlyOrigin)], {
    alice: {
      email: 'Alice@City.example',
      email_verified: true,
      name: 'Alice Aoki',
      groups: ['newsletter-editors'],
    },
    bob: {
      email: 'bob@city.example',
      email_verified: true,
      name: 'Bob Baba',
      groups: ['newsletter-senders'],
    },
    carol: { email: 'carol@city.example', email_verified: true, name: 'Carol', groups: ['parks'] },
    dave: { email: 'dave@city.example', email_verified: false, name: 'Dave', groups: ['newsletter-editors'] },
  });
  desk = await startTestDesk(
    'sso',
    {
      DESK_URL: origin,
      OIDC_ISSUER: idp.issuer,
      OIDC_CLIENT_ID: idp.clientId,
      OIDC_CLIENT_SECRET: idp.clientSecret,
      OIDC_ROLES: MAPPING,
      OIDC_SCOPES: 'openid email profile groups',
      OIDC_NAME: '市役所ID',
    },
    { log: (m) => logs.push(m) },
  );
  only = await startTestDesk('sso-only', {
    DESK_URL: onlyOrigin,
    OIDC_ISSUER: idp.issuer,
    OIDC_CLIENT_ID: idp.clientId,
    OIDC_CLIENT_SECRET: idp.clientSecret,
    OIDC_ROLES: MAPPING,
    OIDC_SCOPES: 'openid email profile groups',
    OIDC_ONLY: 'on',
    OIDC_TRUST_MFA: 'on',
  });
}, 60_000);
afterAll(async () => {
  await only?.close();
  await desk?.close();
  await idp?.close();
});

const get = (url: string, jar: CookieJar) =>
  fetch(url, { redirect: 'manual', headers: { cookie: jar.header() } }).then((res) => {
    jar.take(res);
    return res;
  });
const location = (res: Response, base: string) => new URL(res.headers.get('location') ?? '', base).href;

/** Starts a sign-in at the desk; the provider's authorization URL the desk sent the browser to. */
async function start(jar: CookieJar, next?: string, d = desk): Promise<string> {
  const query = next === undefined ? '' : `?next=${encodeURIComponent(next)}`;
  const res = await get(`${d.origin}/desk/auth/oidc${query}`, jar);
  expect(res.status).toBe(302);
  return location(res, d.origin);
}

/**
 * Goes through the provider as `login` (its sign-in form when it asks), from `authUrl` to the desk's
 * callback URL with the provider's answer, which is returned without being opened.
 */
async function throughProvider(authUrl: string, jar: CookieJar, login: string): Promise<string> {
  let url = authUrl;
  for (let hop = 0; hop < 10; hop++) {
    if (!url.startsWith(`${idp.issuer}/`)) return url;
    const res = await get(url, jar);
    if (res.status >= 300 && res.status < 400) {
      url = location(res, url);
      continue;
    }
    const page = await res.text();
    expect(page, `the provider's page at ${url}`).toContain('name="login"');
    const form = await fetch(url, {
      method: 'POST',
      redirect: 'manual',
      headers: { cookie: jar.header(), 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ prompt: 'login', login, password: 'any' }),
    });
    jar.take(form);
    url = location(form, url);
  }
  throw new Error('the provider never sent the browser back');
}

/** The desk's answer to the callback: where it sends the browser. */
async function callback(url: string, jar: CookieJar): Promise<string> {
  const res = await get(url, jar);
  expect(res.status).toBe(302);
  return location(res, url);
}

/** A whole sign-in as `login`; where the desk sent the browser at the end. */
async function signInAs(
  login: string,
  jar = cookieJar(),
  next?: string,
  d = desk,
): Promise<{ jar: CookieJar; landed: string }> {
  const landed = await callback(await throughProvider(await start(jar, next, d), jar, login), jar);
  return { jar, landed };
}

const sessionOf = async (jar: CookieJar, d = desk) => {
  const res = await d.call('GET', '/session', { cookie: `gazette-session=${jar.get('gazette-session')}` });
  return {
    status: res.status,
    body: (await res.json()) as { user: { email: string; name: string; roles: string[] } },
  };
};

describe('signing in through the OpenID Provider', () => {
  it('the sign-in page learns the provider and that passwords still work', async () => {
    const res = await desk.call('GET', '/sign-in-methods');
    expect(await res.json()).toEqual({ password: true, sso: { name: '市役所ID', path: '/desk/auth/oidc' } });
  });

  it('starts with PKCE (S256), a random state and nonce, the registered redirect URI, and a Lax HttpOnly cookie', async () => {
    const jar = cookieJar();
    const res = await get(`${desk.origin}/desk/auth/oidc`, jar);
    const auth = new URL(location(res, desk.origin));
    expect(auth.origin).toBe(idp.issuer);
    expect(auth.searchParams.get('code_challenge_method')).toBe('S256');
    expect(auth.searchParams.get('code_challenge')).toMatch(/^[\w-]{43}$/);
    expect(auth.searchParams.get('redirect_uri')).toBe(`${desk.origin}/desk/auth/oidc/callback`);
    expect(auth.searchParams.get('state')).toMatch(/^[\w-]{43}$/);
    expect(auth.searchParams.get('nonce')).toMatch(/^[\w-]{43}$/);
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith('gazette-sso='));
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    expect(jar.get('gazette-sso')).toBe(auth.searchParams.get('state'));
    // Another start makes other secrets.
    const again = new URL(await start(cookieJar()));
    expect(again.searchParams.get('state')).not.toBe(auth.searchParams.get('state'));
    expect(again.searchParams.get('nonce')).not.toBe(auth.searchParams.get('nonce'));
  });

  it('a person unknown to the desk gets an account with the mapped roles, the name and e-mail of the claims', async () => {
    const since = Date.now();
    const { jar, landed } = await signInAs('alice');
    expect(landed).toBe(`${desk.origin}/desk/?sso=signed-in`);
    const session = await sessionOf(jar);
    expect(session.status).toBe(200);
    expect(session.body.user).toEqual({
      email: 'alice@city.example',
      name: 'Alice Aoki',
      roles: ['writer', 'editor'],
    });
    const user = await desk.gazette.users.get('alice@city.example');
    expect(user?.roles).toEqual(['writer', 'editor']);
    const audit = await desk.gazette.audit.since(since);
    expect(audit.map((e) => [e.user, e.action, e.target])).toEqual([
      ['alice@city.example', 'user.add-sso', 'alice@city.example (writer,editor)'],
      ['alice@city.example', 'session.sign-in-sso', 'alice@city.example'],
    ]);
    // The flow's cookie is spent.
    expect(jar.get('gazette-sso')).toBeUndefined();
  });

  it('roles follow the group at the next sign-in, audited; an unchanged group changes nothing', async () => {
    await signInAs('bob');
    expect((await desk.gazette.users.get('bob@city.example'))?.roles).toEqual(['sender']);
    const account = idp.accounts.get('bob');
    if (!account) throw new Error('no bob');
    account.groups = ['newsletter-editors', 'gazette-admins'];
    const since = Date.now();
    const { jar } = await signInAs('bob');
    expect((await sessionOf(jar)).body.user.roles).toEqual(['writer', 'editor', 'admin']);
    const audit = await desk.gazette.audit.since(since);
    expect(audit).toContainEqual(
      expect.objectContaining({
        user: 'bob@city.example',
        action: 'user.roles-sso',
        target: 'bob@city.example (sender → writer,editor,admin)',
      }),
    );
    const quiet = Date.now();
    await signInAs('bob', jar);
    expect((await desk.gazette.audit.since(quiet)).map((e) => e.action)).toEqual(['session.sign-in-sso']);
  });

  it('an existing password account signs in through the provider as itself, its roles now the group’s', async () => {
    idp.accounts.set('erin', {
      email: ACCOUNTS.writer,
      email_verified: true,
      name: 'Erin',
      groups: ['newsletter-senders'],
    });
    const since = Date.now();
    const { jar } = await signInAs('erin');
    expect((await sessionOf(jar)).body.user).toMatchObject({ email: ACCOUNTS.writer, roles: ['sender'] });
    // Linked to the provider's subject from now on, audited.
    expect(await desk.gazette.ssoLinks.subjectOf(ACCOUNTS.writer)).toEqual({ iss: idp.issuer, sub: 'erin' });
    expect(await desk.gazette.audit.since(since)).toContainEqual(
      expect.objectContaining({
        user: ACCOUNTS.writer,
        action: 'user.link-sso',
        target: `${ACCOUNTS.writer} (${idp.issuer})`,
      }),
    );
    // The password still works where passwords are on.
    expect(
      (await desk.call('POST', '/session', { body: { email: ACCOUNTS.writer, password: PASSWORD } })).status,
    ).toBe(200);
  });

  it('a person in no mapped group is refused, gets no account and no session, and the refusal is audited', async () => {
    const since = Date.now();
    const { jar, landed } = await signInAs('carol');
    expect(landed).toBe(`${desk.origin}/desk/?sso-error=no-role`);
    expect(jar.get('gazette-session')).toBeUndefined();
    expect(await desk.gazette.users.get('carol@city.example')).toBeNull();
    expect(await desk.gazette.audit.since(since)).toEqual([
      expect.objectContaining({
        user: 'sso:carol',
        action: 'session.sso-refused',
        target: 'carol@city.example (no-role)',
      }),
    ]);
  });

  it('an e-mail the provider marks unverified is refused', async () => {
    const { jar, landed } = await signInAs('dave');
    expect(landed).toBe(`${desk.origin}/desk/?sso-error=unverified-email`);
    expect(jar.get('gazette-session')).toBeUndefined();
    expect(await desk.gazette.users.get('dave@city.example')).toBeNull();
  });

  it('a tampered state is refused, and the flow it belonged to is spent', async () => {
    const jar = cookieJar();
    const back = new URL(await throughProvider(await start(jar), jar, 'alice'));
    const state = back.searchParams.get('state') ?? '';
    back.searchParams.set('state', `${state.slice(0, -1)}${state.endsWith('A') ? 'B' : 'A'}`);
    expect(await callback(back.href, jar)).toBe(`${desk.origin}/desk/?sso-error=expired`);
    expect(jar.get('gazette-session')).toBeUndefined();
    // The right state afterwards finds nothing: the first try used the flow up.
    back.searchParams.set('state', state);
    jar.set('gazette-sso', state);
    expect(await callback(back.href, jar)).toBe(`${desk.origin}/desk/?sso-error=expired`);
    expect(jar.get('gazette-session')).toBeUndefined();
  });

  it("another browser's state (a login CSRF) and a replayed callback are refused", async () => {
    const victim = cookieJar();
    const attacker = cookieJar();
    const attackersAnswer = await throughProvider(await start(attacker), attacker, 'alice');
    // The victim has a flow of its own, or none: either way the attacker's state is not theirs.
    await start(victim);
    expect(await callback(attackersAnswer, victim)).toBe(`${desk.origin}/desk/?sso-error=expired`);
    expect(await callback(attackersAnswer, cookieJar())).toBe(`${desk.origin}/desk/?sso-error=expired`);
    expect(victim.get('gazette-session')).toBeUndefined();
    // The attacker's own browser still completes, once.
    const jar = cookieJar();
    const answer = await throughProvider(await start(jar), jar, 'alice');
    const state = new URL(answer).searchParams.get('state') ?? '';
    expect(await callback(answer, jar)).toBe(`${desk.origin}/desk/?sso=signed-in`);
    jar.set('gazette-sso', state);
    expect(await callback(answer, jar)).toBe(`${desk.origin}/desk/?sso-error=expired`);
  });

  it('a tampered nonce is refused: the ID token carries another than the one this flow made', async () => {
    logs = [];
    const jar = cookieJar();
    const auth = new URL(await start(jar));
    auth.searchParams.set('nonce', 'a-nonce-the-desk-never-made-0123456789abcdef');
    const back = await throughProvider(auth.href, jar, 'alice');
    expect(await callback(back, jar)).toBe(`${desk.origin}/desk/?sso-error=failed`);
    expect(jar.get('gazette-session')).toBeUndefined();
    expect(logs.join('\n')).toMatch(/nonce/);
  });

  it('a code without its PKCE verifier is useless: the provider refuses another challenge', async () => {
    const jar = cookieJar();
    const auth = new URL(await start(jar));
    auth.searchParams.set('code_challenge', 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM');
    const back = await throughProvider(auth.href, jar, 'alice');
    expect(await callback(back, jar)).toBe(`${desk.origin}/desk/?sso-error=failed`);
    expect(jar.get('gazette-session')).toBeUndefined();
  });

  it("the provider's access_denied lands on the sign-in page with a word for it, not a stack", async () => {
    const jar = cookieJar();
    const auth = await start(jar);
    // The provider's own "Cancel" on its sign-in form.
    let url = auth;
    let res = await get(url, jar);
    while (res.status >= 300 && res.status < 400) {
      url = location(res, url);
      res = await get(url, jar);
    }
    const back = await throughProvider(`${url}/abort`, jar, 'alice');
    expect(new URL(back).searchParams.get('error')).toBe('access_denied');
    expect(await callback(back, jar)).toBe(`${desk.origin}/desk/?sso-error=denied`);
  });

  it('sends back only to a path of the desk: `next` elsewhere becomes the desk home', async () => {
    expect((await signInAs('alice', cookieJar(), '/desk/issues/204')).landed).toBe(
      `${desk.origin}/desk/issues/204?sso=signed-in`,
    );
    for (const next of [
      '//evil.example/desk',
      'https://evil.example/',
      '/desk/../evil',
      '/desk\\@evil.example',
      '/deskevil',
    ]) {
      expect((await signInAs('alice', cookieJar(), next)).landed, next).toBe(
        `${desk.origin}/desk/?sso=signed-in`,
      );
    }
  });

  it('a role that needs two factors: a sign-on the provider did not vouch for reaches only who-am-I', async () => {
    await desk.gazette.secondFactors.setPolicy({ roles: ['editor'] });
    try {
      const { jar } = await signInAs('alice');
      const cookie = `gazette-session=${jar.get('gazette-session')}`;
      expect((await desk.call('GET', '/session', { cookie })).status).toBe(200);
      const held = await desk.call('GET', '/issues', { cookie, headers: { 'accept-language': 'ja' } });
      expect(held.status).toBe(403);
      const body = (await held.json()) as { code: string; message: string };
      expect(body.code).toBe('second-factor-provider');
      expect(body.message).toContain('二段階認証');
      // The account page learns that the provider, not an authenticator app here, is the way on.
      const status = await desk.call('GET', '/me/totp', { cookie });
      expect(await status.json()).toEqual({ enrolled: false, required: true, sso: { mfa: false } });
    } finally {
      await desk.gazette.secondFactors.setPolicy({ roles: [] });
    }
  });

  it("a sign-in begun and the provider's form answered after the flow's ten minutes is refused", async () => {
    const jar = cookieJar();
    const back = await throughProvider(await start(jar), jar, 'alice');
    // What ten minutes do to the flow: Redis lets it go.
    const keys = await desk.t.redis.keys(`${desk.t.prefix}:sso-flow:*`);
    expect(keys.length).toBeGreaterThan(0);
    expect(await desk.t.redis.ttl(keys[0] ?? '')).toBeLessThanOrEqual(600);
    await desk.t.redis.del(...keys);
    expect(await callback(back, jar)).toBe(`${desk.origin}/desk/?sso-error=expired`);
  });
});

describe("the provider's subject names the account once linked", () => {
  it('the e-mail of a linked account from another subject is refused (a takeover), audited; the account stays its own', async () => {
    await signInAs('alice');
    const alice = { iss: idp.issuer, sub: 'alice' };
    expect(await desk.gazette.ssoLinks.emailOf(alice)).toBe('alice@city.example');
    // Someone who got Alice's old address at the provider, in the same groups.
    idp.accounts.set('mallory', {
      email: 'alice@city.example',
      email_verified: true,
      name: 'Mallory',
      groups: ['newsletter-editors', 'gazette-admins'],
    });
    // Counted in the log itself: Alice's sign-in just above may carry Redis's time a millisecond ahead of ours.
    const before = (await desk.gazette.audit.since(0)).length;
    const { jar, landed } = await signInAs('mallory');
    expect(landed).toBe(`${desk.origin}/desk/?sso-error=linked-elsewhere`);
    expect(jar.get('gazette-session')).toBeUndefined();
    expect((await desk.gazette.audit.since(0)).slice(before)).toEqual([
      expect.objectContaining({
        user: 'sso:mallory',
        action: 'session.sso-refused',
        target: 'alice@city.example (linked-elsewhere)',
      }),
    ]);
    const account = await desk.gazette.users.get('alice@city.example');
    expect(account?.roles).toEqual(['writer', 'editor']);
    expect(await desk.gazette.ssoLinks.subjectOf('alice@city.example')).toEqual(alice);
    expect(await desk.gazette.ssoLinks.emailOf({ iss: idp.issuer, sub: 'mallory' })).toBeNull();
  });

  it('a linked person whose e-mail changed at the provider reaches the same account, which keeps its address', async () => {
    const alice = idp.accounts.get('alice');
    if (!alice) throw new Error('no alice');
    const before = (await desk.gazette.users.list()).length;
    idp.accounts.set('alice', { ...alice, email: 'alice.aoki@city.example' });
    try {
      const { jar, landed } = await signInAs('alice');
      expect(landed).toBe(`${desk.origin}/desk/?sso=signed-in`);
      expect((await sessionOf(jar)).body.user).toMatchObject({ email: 'alice@city.example' });
      expect(await desk.gazette.users.get('alice.aoki@city.example')).toBeNull();
      expect((await desk.gazette.users.list()).length).toBe(before);
    } finally {
      idp.accounts.set('alice', alice);
    }
  });

  it('removing the account removes its link: the same person signs in to a new account by e-mail', async () => {
    idp.accounts.set('frank', {
      email: 'frank@city.example',
      email_verified: true,
      name: 'Frank',
      groups: ['newsletter-senders'],
    });
    await signInAs('frank');
    const frank = { iss: idp.issuer, sub: 'frank' };
    expect(await desk.gazette.ssoLinks.emailOf(frank)).toBe('frank@city.example');
    const admin = await desk.signIn(ACCOUNTS.admin);
    const removed = await desk.call('DELETE', `/users/${encodeURIComponent('frank@city.example')}`, {
      cookie: admin,
    });
    expect(removed.status).toBe(204);
    expect(await desk.gazette.ssoLinks.emailOf(frank)).toBeNull();
    expect(await desk.gazette.ssoLinks.subjectOf('frank@city.example')).toBeNull();
    // Another person given the address at the provider is not refused now: nobody holds it.
    idp.accounts.set('frank2', {
      email: 'frank@city.example',
      name: 'Frank II',
      groups: ['newsletter-senders'],
    });
    const { jar } = await signInAs('frank2');
    expect((await sessionOf(jar)).body.user).toMatchObject({ email: 'frank@city.example', name: 'Frank II' });
    expect(await desk.gazette.ssoLinks.subjectOf('frank@city.example')).toEqual({
      iss: idp.issuer,
      sub: 'frank2',
    });
    // A link whose account went without its traces (a removal of older code) opens nothing and goes.
    await desk.gazette.users.remove('frank@city.example');
    idp.accounts.set('frank2', {
      email: 'frank.second@city.example',
      name: 'Frank II',
      groups: ['newsletter-senders'],
    });
    const again = await signInAs('frank2');
    expect((await sessionOf(again.jar)).body.user.email).toBe('frank.second@city.example');
    expect(await desk.gazette.ssoLinks.emailOf({ iss: idp.issuer, sub: 'frank2' })).toBe(
      'frank.second@city.example',
    );
  });
});

describe('starting sign-ins in bulk', () => {
  it('refuses a start past SSO_STARTS from one address within 10 minutes, before keeping any flow', async () => {
    const limits = `${desk.t.prefix}:limit:sso-start*`;
    await deleteKeys(desk.t.redis, limits);
    try {
      const starts = Array.from({ length: SSO_STARTS }, () =>
        fetch(`${desk.origin}/desk/auth/oidc`, { redirect: 'manual' }).then((r) => r.headers.get('location')),
      );
      for (const to of await Promise.all(starts)) expect(new URL(to ?? '').origin).toBe(idp.issuer);
      const before = (await desk.t.redis.keys(`${desk.t.prefix}:sso-flow:*`)).length;
      const res = await fetch(`${desk.origin}/desk/auth/oidc`, { redirect: 'manual' });
      expect(res.headers.get('location')).toBe('/desk/?sso-error=busy');
      expect(res.headers.get('set-cookie')).toBeNull();
      expect((await desk.t.redis.keys(`${desk.t.prefix}:sso-flow:*`)).length).toBe(before);
    } finally {
      await deleteKeys(desk.t.redis, limits);
    }
  });
});

describe('OIDC_ONLY=on, OIDC_TRUST_MFA=on', () => {
  it('refuses password sign-in with a coded 403 in the caller language, even with the right password', async () => {
    const res = await only.call('POST', '/session', {
      body: { email: ACCOUNTS.admin, password: PASSWORD },
      headers: { 'accept-language': 'ja' },
    });
    expect(res.status).toBe(403);
    const body = (await res.json()) as { code: string; message: string };
    expect(body.code).toBe('password-sign-in-off');
    expect(body.message).toBe(
      'ここではパスワードでのサインインは使えません。認証サービスからサインインしてください。',
    );
    expect(res.headers.get('set-cookie')).toBeNull();
    expect(await (await only.call('GET', '/sign-in-methods')).json()).toEqual({
      password: false,
      sso: { name: '127.0.0.1', path: '/desk/auth/oidc' },
    });
  });

  it('closes the other doors as well: a passkey sign-in and a password reset by mail are refused, and no mail goes out', async () => {
    const mailed = only.sink.messages.length;
    const reset = await only.call('POST', '/password-reset', { body: { email: ACCOUNTS.admin } });
    expect(reset.status).toBe(403);
    expect(((await reset.json()) as { code: string }).code).toBe('password-sign-in-off');
    const passkey = await only.call('POST', '/session/passkey', {
      body: {
        passkey: {
          id: 'AAAA',
          rawId: 'AAAA',
          type: 'public-key',
          response: { clientDataJSON: 'AAAA', authenticatorData: 'AAAA', signature: 'AAAA' },
          clientExtensionResults: {},
        },
      },
    });
    expect(passkey.status).toBe(403);
    expect(passkey.headers.get('set-cookie')).toBeNull();
    await new Promise((r) => setTimeout(r, 200));
    expect(only.sink.messages.length).toBe(mailed);
  });

  it('signs in through the provider, whose two factors count for a role that needs them', async () => {
    await only.gazette.secondFactors.setPolicy({ roles: ['editor'] });
    const { jar, landed } = await signInAs('alice', cookieJar(), undefined, only);
    expect(landed).toBe(`${only.origin}/desk/?sso=signed-in`);
    const cookie = `gazette-session=${jar.get('gazette-session')}`;
    expect((await only.call('GET', '/issues', { cookie })).status).toBe(200);
    // OIDC_TRUST_MFA: this session counts as two factors, which the account page is told.
    const status = await only.call('GET', '/me/totp', { cookie });
    expect(await status.json()).toEqual({ enrolled: false, required: true, sso: { mfa: true } });
    // Nor does a password confirm who someone is: a new sign-in through the provider does.
    const confirmed = await only.call('POST', '/me/confirm-identity', {
      cookie,
      body: { password: PASSWORD },
    });
    expect(confirmed.status).toBe(403);
    expect(((await confirmed.json()) as { code: string }).code).toBe('password-sign-in-off');
    expect((await only.gazette.audit.since(0)).map((e) => [e.action, e.target])).toContainEqual([
      'session.sign-in-sso',
      'alice@city.example (mfa)',
    ]);
    // The admin of the password era cannot use the password, whatever the policy.
    await only.gazette.secondFactors.setPolicy({ roles: [] });
    expect(
      (await only.call('POST', '/session', { body: { email: ACCOUNTS.admin, password: PASSWORD } })).status,
    ).toBe(403);
  });
});

describe('a provider that cannot be reached', () => {
  it('lands on the sign-in page with `unavailable`, the reason in the log, and tries again at the next start', async () => {
    const closed = `http://127.0.0.1:${await freePort()}`;
    const said: string[] = [];
    const away = await startTestDesk(
      'sso-away',
      { OIDC_ISSUER: closed, OIDC_CLIENT_ID: 'x', OIDC_CLIENT_SECRET: 'y', OIDC_ROLES: MAPPING },
      { log: (m) => said.push(m) },
    );
    try {
      for (let i = 0; i < 2; i++) {
        const res = await fetch(`${away.origin}/desk/auth/oidc`, { redirect: 'manual' });
        expect(res.status).toBe(302);
        expect(res.headers.get('location')).toBe('/desk/?sso-error=unavailable');
        expect(res.headers.get('set-cookie')).toBeNull();
      }
      expect(said).toHaveLength(2);
      expect(said[0]).toContain(`discovery of ${closed}/ failed`);
    } finally {
      await away.close();
    }
  });
});
