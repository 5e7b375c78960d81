import { Secret, TOTP } from 'otpauth';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../src/roles.ts';
import { runCli } from '../helpers/cli.ts';
import { ACCOUNTS, PASSWORD, startTestDesk, type TestDesk } from '../helpers/desk-server.ts';

// Issue 22, part 4: an admin manages the desk's people over real HTTP and a real Redis. Roles are
// checked on the server, the last admin stays, and disabling or removing someone ends their sessions.

type Member = {
  email: string;
  name: string;
  roles: Role[];
  disabled: boolean;
  secondFactor: string[];
  lastSignInAt?: string;
};

let desk: TestDesk;
let admin: string;
beforeAll(async () => {
  desk = await startTestDesk('team');
  admin = await desk.signIn(ACCOUNTS.admin);
});
afterEach(() => desk.forgetFailures());
afterAll(() => desk?.close());

/** Adds a member with `roles` who has not signed in yet. */
async function addMember(email: string, roles: Role[] = ['writer']): Promise<void> {
  await desk.gazette.users.add({ email, name: email.split('@')[0] ?? '', roles, password: PASSWORD });
}

const patch = (email: string, body: unknown, cookie = admin) =>
  desk.call('PATCH', `/users/${encodeURIComponent(email)}`, { cookie, body });
const remove = (email: string, cookie = admin) =>
  desk.call('DELETE', `/users/${encodeURIComponent(email)}`, { cookie });

async function members(): Promise<Member[]> {
  const res = await desk.call('GET', '/users', { cookie: admin });
  expect(res.status).toBe(200);
  return ((await res.json()) as { users: Member[] }).users;
}

async function auditOf(action: string) {
  return (await desk.gazette.audit.since(0)).filter((e) => e.action === action);
}

describe('only an admin manages members', () => {
  it('writer, editor and sender (by session or token) get 403 on every members route, and nothing changes', async () => {
    for (const role of ['writer', 'editor', 'sender'] as const) {
      const cookie = await desk.signIn(ACCOUNTS[role]);
      const token = (await desk.gazette.tokens.create({ name: `t-${role}`, roles: [role], by: 'test' }))
        .token;
      for (const auth of [{ cookie }, { token }]) {
        expect((await desk.call('GET', '/users', auth)).status).toBe(403);
        const promote = await desk.call('PATCH', `/users/${ACCOUNTS[role]}`, {
          ...auth,
          body: { roles: ['admin'] },
        });
        expect(promote.status).toBe(403);
        expect(await promote.json()).toMatchObject({ code: 'role' });
        expect((await desk.call('DELETE', `/users/${ACCOUNTS.admin}`, auth)).status).toBe(403);
      }
      expect((await desk.gazette.users.get(ACCOUNTS[role]))?.roles).toEqual([role]);
    }
    expect(await desk.gazette.users.get(ACCOUNTS.admin)).not.toBeNull();
    expect((await desk.call('GET', '/users')).status).toBe(401);
  });
});

describe('the list of members', () => {
  it('shows roles, disabled, the second factor each has enrolled and the last sign-in', async () => {
    await addMember('never@desk.test');
    const totp = await desk.gazette.secondFactors.begin('never@desk.test');
    const secret = Secret.fromBase32(totp?.secret ?? '');
    const code = TOTP.generate({ secret, period: 30, digits: 6 });
    expect(await desk.gazette.secondFactors.confirm('never@desk.test', code)).toHaveLength(10);
    const users = await members();
    const me = users.find((u) => u.email === ACCOUNTS.admin);
    expect(me).toMatchObject({ roles: ['admin'], disabled: false, secondFactor: [] });
    expect(Date.now() - Date.parse(me?.lastSignInAt ?? '')).toBeLessThan(120_000);
    const never = users.find((u) => u.email === 'never@desk.test');
    expect(never).toEqual({
      email: 'never@desk.test',
      name: 'never',
      roles: ['writer'],
      disabled: false,
      secondFactor: ['totp'],
    });
    // No hash, no secret, in the answer.
    const raw = JSON.stringify(users);
    expect(raw).not.toContain('scrypt');
    expect(raw).not.toContain('hash');
  });
});

describe('changing a member', () => {
  it('new roles count at the member’s next request, and the change is audited with who and what', async () => {
    await addMember('role@desk.test', ['writer']);
    const cookie = await desk.signIn('role@desk.test');
    expect((await desk.call('GET', '/lists', { cookie })).status).toBe(403);
    const res = await patch('role@desk.test', { roles: ['writer', 'sender'], name: 'Role Person' });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      user: expect.objectContaining({
        email: 'role@desk.test',
        name: 'Role Person',
        roles: ['writer', 'sender'],
        disabled: false,
      }),
    });
    expect((await desk.call('GET', '/lists', { cookie })).status).toBe(200);
    const [entry] = await auditOf('user.roles');
    expect(entry).toMatchObject({
      user: ACCOUNTS.admin,
      target: 'user:role@desk.test (writer → writer,sender)',
    });
    expect(Date.now() - Date.parse(entry?.at ?? '')).toBeLessThan(60_000);
    expect(await auditOf('user.rename')).toContainEqual(
      expect.objectContaining({ user: ACCOUNTS.admin, target: 'user:role@desk.test' }),
    );
  });

  it('refuses hostile bodies and unknown members, changing nothing', async () => {
    await addMember('steady@desk.test', ['editor']);
    for (const body of [
      { roles: ['boss'] },
      { roles: [] },
      { disabled: 'yes' },
      { name: 'a\u0000b' },
      { name: 'x'.repeat(101) },
      { email: 'other@desk.test' },
      { hash: 'scrypt$…' },
    ]) {
      const res = await patch('steady@desk.test', body);
      expect(res.status, JSON.stringify(body)).toBe(422);
    }
    const after = await desk.gazette.users.get('steady@desk.test');
    expect(after).toMatchObject({ roles: ['editor'], name: 'steady', disabled: false });
    const unknown = await patch('nobody@desk.test', { roles: ['writer'] });
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ code: 'no-user', params: { email: 'nobody@desk.test' } });
    expect(await desk.gazette.users.get('nobody@desk.test')).toBeNull();
    expect((await remove('nobody@desk.test')).status).toBe(404);
  });
});

describe('disabling a member', () => {
  it('ends every session at once and refuses sign-in; enabling lets them in again', async () => {
    await addMember('off@desk.test', ['editor']);
    const one = await desk.signIn('off@desk.test');
    const two = await desk.signIn('off@desk.test');
    expect((await desk.call('GET', '/issues', { cookie: one })).status).toBe(200);
    const res = await patch('off@desk.test', { disabled: true });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { user: Member }).user.disabled).toBe(true);
    for (const cookie of [one, two]) expect((await desk.call('GET', '/issues', { cookie })).status).toBe(401);
    expect(await desk.gazette.sessions.list('off@desk.test')).toEqual([]);
    const refused = await desk.call('POST', '/session', {
      body: { email: 'off@desk.test', password: PASSWORD },
    });
    expect(refused.status).toBe(401);
    expect(refused.headers.get('set-cookie')).toBeNull();
    expect(await refused.json()).toMatchObject({ code: 'account-disabled' });
    // Japanese words for the desk's own sign-in page.
    const ja = await desk.call('POST', '/session', {
      body: { email: 'off@desk.test', password: PASSWORD },
      headers: { 'accept-language': 'ja' },
    });
    expect(((await ja.json()) as { message: string }).message).toContain('無効');
    // A wrong password says nothing about the account being disabled.
    const guess = await desk.call('POST', '/session', {
      body: { email: 'off@desk.test', password: 'a wrong guess at it' },
    });
    expect(guess.status).toBe(401);
    expect(await guess.json()).not.toHaveProperty('code');
    // A session made behind the desk's back (a race with the disabling) is refused too.
    const stray = await desk.gazette.sessions.create('off@desk.test');
    expect((await desk.call('GET', '/issues', { cookie: `gazette-session=${stray}` })).status).toBe(401);
    expect((await members()).find((u) => u.email === 'off@desk.test')?.disabled).toBe(true);

    expect((await patch('off@desk.test', { disabled: false })).status).toBe(200);
    const back = await desk.signIn('off@desk.test');
    expect((await desk.call('GET', '/issues', { cookie: back })).status).toBe(200);
    expect(await auditOf('user.disable')).toEqual([
      expect.objectContaining({ user: ACCOUNTS.admin, target: 'user:off@desk.test' }),
    ]);
    expect(await auditOf('user.enable')).toEqual([
      expect.objectContaining({ user: ACCOUNTS.admin, target: 'user:off@desk.test' }),
    ]);
  });

  it('`gazette users list` shows who is disabled', { timeout: 60_000 }, async () => {
    await addMember('cli-off@desk.test');
    expect((await patch('cli-off@desk.test', { disabled: true })).status).toBe(200);
    const c = desk.gazette.config;
    const env = { REDIS_URL: c.REDIS_URL, REDIS_PREFIX: c.REDIS_PREFIX, GAZETTE_SECRET: c.GAZETTE_SECRET };
    const list = await runCli(['users', 'list'], env);
    expect(list.code).toBe(0);
    expect(list.stdout).toContain('cli-off@desk.test\twriter\tcli-off\tdisabled\n');
    expect(list.stdout).toMatch(/^admin@desk\.test\tadmin\tThe admin\n/m);
  });
});

describe('removing a member', () => {
  it('ends their sessions, removes their second factor and account, and is audited', async () => {
    await addMember('gone@desk.test', ['sender']);
    const cookie = await desk.signIn('gone@desk.test');
    await desk.gazette.secondFactors.begin('gone@desk.test');
    const pending = await desk.gazette.secondFactors.begin('gone@desk.test');
    const secret = Secret.fromBase32(pending?.secret ?? '');
    await desk.gazette.secondFactors.confirm('gone@desk.test', TOTP.generate({ secret }));
    expect(await desk.gazette.secondFactors.enrolled('gone@desk.test')).toBe(true);
    expect((await remove('gone@desk.test')).status).toBe(204);
    expect((await desk.call('GET', '/issues', { cookie })).status).toBe(401);
    expect(await desk.gazette.users.get('gone@desk.test')).toBeNull();
    expect(await desk.gazette.secondFactors.enrolled('gone@desk.test')).toBe(false);
    expect(await desk.t.redis.keys(`${desk.t.prefix}:*gone@desk.test*`)).toEqual([]);
    expect(await auditOf('user.remove')).toContainEqual(
      expect.objectContaining({ user: ACCOUNTS.admin, target: 'user:gone@desk.test' }),
    );
    expect((await remove('gone@desk.test')).status).toBe(404);
  });
});

describe('the last admin stays', () => {
  it('cannot be demoted, disabled or removed (409 last-admin), by themselves or anyone', async () => {
    for (const res of [
      await patch(ACCOUNTS.admin, { roles: ['editor'] }),
      await patch(ACCOUNTS.admin, { disabled: true }),
      await remove(ACCOUNTS.admin),
    ]) {
      expect(res.status).toBe(409);
      expect(await res.json()).toMatchObject({ code: 'last-admin', params: { email: ACCOUNTS.admin } });
    }
    expect(await desk.gazette.users.get(ACCOUNTS.admin)).toMatchObject({ roles: ['admin'], disabled: false });
    expect((await desk.call('GET', '/users', { cookie: admin })).status).toBe(200);
    // A disabled second admin is no admin: the first still cannot go.
    await addMember('dormant@desk.test', ['admin']);
    expect((await patch('dormant@desk.test', { disabled: true })).status).toBe(200);
    expect((await patch(ACCOUNTS.admin, { roles: ['editor'] })).status).toBe(409);
    // Keeping the role while changing something else is fine.
    expect((await patch(ACCOUNTS.admin, { roles: ['admin', 'editor'], name: 'Boss' })).status).toBe(200);
    expect((await patch(ACCOUNTS.admin, { roles: ['admin'], name: 'The admin' })).status).toBe(200);
    expect((await remove('dormant@desk.test')).status).toBe(204);
  });

  it('two admins demoting each other at the same moment: one change wins, the demoted one is refused', async () => {
    await addMember('second@desk.test', ['admin']);
    const second = await desk.signIn('second@desk.test');
    const answers = await Promise.all([
      patch('second@desk.test', { roles: ['writer'] }, admin),
      patch(ACCOUNTS.admin, { roles: ['writer'] }, second),
    ]);
    // The loser was demoted a moment before its own change ran: it acts as no admin at all.
    expect(answers.map((r) => r.status).sort()).toEqual([200, 403]);
    expect(await answers.find((r) => r.status === 403)?.json()).toMatchObject({ code: 'role' });
    const admins = (await desk.gazette.users.list()).filter((u) => u.roles.includes('admin') && !u.disabled);
    expect(admins).toHaveLength(1);
    // Put back as the other tests expect: the remaining admin makes the other one admin again.
    const [left] = admins;
    const cookie = left?.email === ACCOUNTS.admin ? admin : second;
    const other = left?.email === ACCOUNTS.admin ? 'second@desk.test' : ACCOUNTS.admin;
    expect((await patch(other, { roles: ['admin'] }, cookie)).status).toBe(200);
    expect((await remove('second@desk.test')).status).toBe(204);
  });
});

describe("a member's sessions", () => {
  it('an admin sees them with their devices and ends one; its cookie stops working, the other stays', async () => {
    await addMember('seen@desk.test', ['writer']);
    const ua = { 'user-agent': 'Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0' };
    const cookies: string[] = [];
    for (let i = 0; i < 2; i++) {
      const res = await desk.call('POST', '/session', {
        body: { email: 'seen@desk.test', password: PASSWORD },
        headers: { ...ua, 'accept-language': 'en' },
      });
      cookies.push((res.headers.get('set-cookie') ?? '').split(';')[0] ?? '');
    }
    const res = await desk.call('GET', '/users/seen@desk.test/sessions', { cookie: admin });
    expect(res.status).toBe(200);
    const { sessions } = (await res.json()) as {
      sessions: { id: string; device: string; current: boolean }[];
    };
    expect(sessions).toHaveLength(2);
    for (const s of sessions) expect(s).toMatchObject({ device: 'Firefox 133 · Linux', current: false });
    const ended = await desk.call('DELETE', `/users/seen@desk.test/sessions/${sessions[0]?.id}`, {
      cookie: admin,
    });
    expect(ended.status).toBe(204);
    const statuses = await Promise.all(
      cookies.map(async (cookie) => (await desk.call('GET', '/issues', { cookie })).status),
    );
    expect(statuses.sort()).toEqual([200, 401]);
    expect(await auditOf('session.end')).toContainEqual(
      expect.objectContaining({
        user: ACCOUNTS.admin,
        target: `user:seen@desk.test session:${sessions[0]?.id.slice(0, 8)}`,
      }),
    );
    // A session of someone else named under this member's address ends nothing.
    const [adminSession] = await desk.gazette.sessions.list(ACCOUNTS.admin);
    const wrong = await desk.call('DELETE', `/users/seen@desk.test/sessions/${adminSession?.id}`, {
      cookie: admin,
    });
    expect(wrong.status).toBe(404);
    expect((await desk.call('GET', '/users', { cookie: admin })).status).toBe(200);
  });
});
