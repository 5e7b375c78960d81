import { Secret, TOTP } from 'otpauth';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ACCOUNTS, PASSWORD, startTestDesk, type TestDesk } from '../helpers/desk-server.ts';

// Issue 22, item 1 (without passkeys): TOTP with recovery codes, the admin's policy and reset, all over
// real HTTP and a real Redis; the codes are computed by otpauth from the secret the desk handed out.

const code = (secret: string, at = Date.now()) =>
  TOTP.generate({ secret: Secret.fromBase32(secret), timestamp: at, period: 30, digits: 6 });

/** Waits until the next 30-second step, so a fresh code is not the one used before. */
async function nextStep(): Promise<void> {
  await new Promise((r) => setTimeout(r, 30_000 - (Date.now() % 30_000) + 50));
}

let desk: TestDesk;
beforeAll(async () => {
  desk = await startTestDesk('second-factor');
});
afterEach(() => desk.forgetFailures());
afterAll(() => desk?.close());

/** Enrols `email`; its secret and recovery codes. */
async function enrol(email: string) {
  const cookie = await desk.signIn(email);
  const begun = await desk.call('POST', '/me/totp', { cookie });
  expect(begun.status).toBe(200);
  const { secret, uri, qr } = (await begun.json()) as { secret: string; uri: string; qr: string };
  const confirmed = await desk.call('POST', '/me/totp/confirm', { cookie, body: { code: code(secret) } });
  expect(confirmed.status).toBe(200);
  const { recoveryCodes } = (await confirmed.json()) as { recoveryCodes: string[] };
  return { cookie, secret, uri, qr, recoveryCodes };
}

const signIn = (email: string, more: Record<string, string> = {}) =>
  desk.call('POST', '/session', { body: { email, password: PASSWORD, ...more } });

describe('enrolling and signing in with TOTP', () => {
  it('enrols with a code from the returned secret; the secret is kept encrypted and never shown again', async () => {
    const cookie = await desk.signIn(ACCOUNTS.editor);
    const begun = await desk.call('POST', '/me/totp', { cookie });
    const { secret, uri, qr } = (await begun.json()) as { secret: string; uri: string; qr: string };
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(uri).toMatch(/^otpauth:\/\/totp\/Gazette:editor%40desk\.test\?/);
    expect(uri).toContain(`secret=${secret}`);
    expect(Buffer.from(qr.replace('data:image/svg+xml;base64,', ''), 'base64').toString()).toContain('<svg');
    const wrong = await desk.call('POST', '/me/totp/confirm', {
      cookie,
      body: { code: String((Number(code(secret)) + 1) % 1_000_000).padStart(6, '0') },
    });
    expect(wrong.status).toBe(422);
    expect(((await wrong.json()) as { errors: { code: string }[] }).errors[0]?.code).toBe('totp-code');
    const ok = await desk.call('POST', '/me/totp/confirm', { cookie, body: { code: code(secret) } });
    expect(ok.status).toBe(200);
    const { recoveryCodes } = (await ok.json()) as { recoveryCodes: string[] };
    expect(recoveryCodes).toHaveLength(10);
    expect(new Set(recoveryCodes).size).toBe(10);
    // Neither the secret nor a recovery code is in Redis as it was handed out.
    const keys = await desk.t.redis.keys(`${desk.t.prefix}:totp*`);
    const stored = JSON.stringify(
      await Promise.all(
        keys.map(async (k) =>
          (await desk.t.redis.type(k)) === 'set' ? desk.t.redis.smembers(k) : desk.t.redis.hgetall(k),
        ),
      ),
    );
    expect(stored).not.toContain(secret);
    for (const c of recoveryCodes) expect(stored).not.toContain(c);
    // A second enrolment is refused while this one stands.
    expect((await desk.call('POST', '/me/totp', { cookie })).status).toBe(409);
    const audit = await desk.gazette.audit.since(0);
    expect(audit).toContainEqual(
      expect.objectContaining({
        user: ACCOUNTS.editor,
        action: 'user.totp-enrol',
        target: `user:${ACCOUNTS.editor}`,
      }),
    );
  });

  it('two confirmations sent at once: one gets recovery codes, the other is refused', async () => {
    const email = 'race@desk.test';
    await desk.gazette.users.add({ email, name: 'Race', roles: ['writer'], password: PASSWORD });
    const cookie = await desk.signIn(email);
    const { secret } = (await (await desk.call('POST', '/me/totp', { cookie })).json()) as { secret: string };
    const now = code(secret);
    const answers = await Promise.all(
      [0, 1].map(() => desk.call('POST', '/me/totp/confirm', { cookie, body: { code: now } })),
    );
    expect(answers.map((r) => r.status).sort()).toEqual([200, 422]);
    const won = answers.find((r) => r.status === 200) as Response;
    const { recoveryCodes: codes } = (await won.json()) as { recoveryCodes: string[] };
    expect((await signIn(email, { code: codes[0] as string })).status).toBe(200);
  });

  it('asks for the code after the right password; a wrong, reused or 2-steps-old code is refused', async () => {
    const { secret } = await enrol(ACCOUNTS.writer);
    const bare = await signIn(ACCOUNTS.writer);
    expect(bare.status).toBe(401);
    expect(bare.headers.get('set-cookie')).toBeNull();
    expect(await bare.json()).toMatchObject({ secondFactor: true, code: 'second-factor' });
    // The wrong password gives no hint that a second factor exists.
    const wrongPassword = await desk.call('POST', '/session', {
      body: { email: ACCOUNTS.writer, password: 'not the password' },
    });
    expect(await wrongPassword.json()).not.toHaveProperty('secondFactor');
    const old = await signIn(ACCOUNTS.writer, { code: code(secret, Date.now() - 60_000) });
    expect(old.status).toBe(401);
    expect(await old.json()).toMatchObject({ secondFactor: true });
    // The enrolment used this step's code: the same code again is a replay.
    await nextStep();
    const fresh = code(secret);
    const first = await signIn(ACCOUNTS.writer, { code: fresh });
    expect(first.status).toBe(200);
    expect(first.headers.get('set-cookie')).toContain('gazette-session=');
    const replay = await signIn(ACCOUNTS.writer, { code: fresh });
    expect(replay.status).toBe(401);
    expect(await replay.json()).toMatchObject({ secondFactor: true });
  }, 40_000);

  it('a wrong code counts as a failed sign-in: the 6th within 15 minutes is 429', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await signIn(ACCOUNTS.writer, { code: '000000' })).status);
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429]);
  });

  it('a recovery code works once in place of the code, in any case and with or without its dash', async () => {
    const { recoveryCodes } = await enrol(ACCOUNTS.sender);
    const [first, second] = recoveryCodes as [string, string];
    expect((await signIn(ACCOUNTS.sender, { code: first })).status).toBe(200);
    const again = await signIn(ACCOUNTS.sender, { code: first });
    expect(again.status).toBe(401);
    expect(await again.json()).toMatchObject({ secondFactor: true });
    expect((await signIn(ACCOUNTS.sender, { code: second.replace('-', '').toUpperCase() })).status).toBe(200);
  });
});

describe('the admin policy and reset', () => {
  it('a sender without a factor reaches only enrolment until enrolled; then works', async () => {
    const admin = await desk.signIn(ACCOUNTS.admin);
    const set = await desk.call('PUT', '/settings/second-factor', {
      cookie: admin,
      body: { roles: ['sender', 'admin'] },
    });
    expect(set.status).toBe(200);
    expect(await set.json()).toEqual({ roles: ['sender', 'admin'] });
    // The admin, now bound by the policy too, is held back until enrolled.
    const held = await desk.call('GET', '/issues', { cookie: admin, headers: { 'accept-language': 'ja' } });
    expect(held.status).toBe(403);
    expect(await held.json()).toMatchObject({
      code: 'second-factor-required',
      message: expect.stringContaining('二段階認証'),
    });
    await desk.gazette.secondFactors.remove(ACCOUNTS.sender);
    const sender = await desk.signIn(ACCOUNTS.sender);
    expect((await desk.call('GET', '/issues', { cookie: sender })).status).toBe(403);
    expect((await desk.call('GET', '/me/notifications', { cookie: sender })).status).toBe(403);
    expect((await desk.call('GET', '/session', { cookie: sender })).status).toBe(200);
    const status = await desk.call('GET', '/me/totp', { cookie: sender });
    expect(await status.json()).toEqual({ enrolled: false, required: true, sso: null });
    // The editor (enrolled above, but not bound) passes; a token is not a person and passes too.
    const senderToken = (await desk.gazette.tokens.create({ name: 's', roles: ['sender'], by: 'test' }))
      .token;
    expect((await desk.call('GET', '/issues', { token: senderToken })).status).toBe(200);
    const begun = (await (await desk.call('POST', '/me/totp', { cookie: sender })).json()) as {
      secret: string;
    };
    const confirmed = await desk.call('POST', '/me/totp/confirm', {
      cookie: sender,
      body: { code: code(begun.secret) },
    });
    expect(confirmed.status).toBe(200);
    expect((await desk.call('GET', '/issues', { cookie: sender })).status).toBe(200);
    const after = await desk.call('GET', '/me/totp', { cookie: sender });
    expect(await after.json()).toEqual({ enrolled: true, required: true, sso: null });
    const audit = await desk.gazette.audit.since(0);
    expect(audit).toContainEqual(
      expect.objectContaining({
        user: ACCOUNTS.admin,
        action: 'settings.second-factor',
        target: 'roles:sender,admin',
      }),
    );
  });

  it('an admin resets a user who lost their factor (audited); the user signs in with the password alone', async () => {
    await desk.gazette.secondFactors.setPolicy({ roles: [] });
    const admin = await desk.signIn(ACCOUNTS.admin);
    const writer = await desk.signIn(ACCOUNTS.writer).catch((e: Error) => e.message);
    expect(writer).toContain('401');
    const reset = await desk.call('DELETE', `/users/${encodeURIComponent(ACCOUNTS.writer)}/totp`, {
      cookie: admin,
    });
    expect(reset.status).toBe(204);
    expect(
      (await desk.call('DELETE', `/users/${encodeURIComponent(ACCOUNTS.writer)}/totp`, { cookie: admin }))
        .status,
    ).toBe(404);
    expect((await signIn(ACCOUNTS.writer)).status).toBe(200);
    const audit = await desk.gazette.audit.since(0);
    expect(audit).toContainEqual(
      expect.objectContaining({
        user: ACCOUNTS.admin,
        action: 'user.totp-reset',
        target: `user:${ACCOUNTS.writer}`,
      }),
    );
    // Nobody but an admin resets.
    const sender = (await desk.gazette.tokens.create({ name: 'no-reset', roles: ['sender'], by: 'test' }))
      .token;
    const refused = await desk.call('DELETE', `/users/${encodeURIComponent(ACCOUNTS.editor)}/totp`, {
      token: sender,
    });
    expect(refused.status).toBe(403);
    expect(await desk.gazette.secondFactors.enrolled(ACCOUNTS.editor)).toBe(true);
  });

  it('the user removes their own factor soon after signing in, with no body (audited)', async () => {
    const { cookie } = await enrol(ACCOUNTS.writer);
    const ok = await desk.call('DELETE', '/me/totp', { cookie });
    expect(ok.status).toBe(204);
    expect(await desk.gazette.secondFactors.enrolled(ACCOUNTS.writer)).toBe(false);
    expect((await signIn(ACCOUNTS.writer)).status).toBe(200);
    expect((await desk.call('DELETE', '/me/totp', { cookie })).status).toBe(404);
    const audit = await desk.gazette.audit.since(0);
    expect(audit).toContainEqual(
      expect.objectContaining({ action: 'user.totp-remove', target: `user:${ACCOUNTS.writer}` }),
    );
  });
});
