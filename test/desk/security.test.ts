import { Secret, TOTP } from 'otpauth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type IssueError, parseIssue } from '../../src/issue/load.ts';
import { runCli } from '../helpers/cli.ts';
import { ACCOUNTS, localLinks, PASSWORD, startTestDesk, type TestDesk } from '../helpers/desk-server.ts';
import { issue201Json } from '../helpers/issues.ts';

let desk: TestDesk;
let cli: Record<string, string>;

beforeAll(async () => {
  desk = await startTestDesk('desk-sec');
  const c = desk.gazette.config;
  cli = { REDIS_URL: c.REDIS_URL, REDIS_PREFIX: c.REDIS_PREFIX, GAZETTE_SECRET: c.GAZETTE_SECRET };
  const writer = await desk.signIn(ACCOUNTS.writer);
  await desk.call('POST', '/issues', {
    cookie: writer,
    body: { issue: localLinks(issue201Json(), desk.links) },
  });
});

afterAll(async () => {
  await desk?.close();
});

describe('sessions', () => {
  it('sets an HttpOnly, SameSite=Strict cookie; answers no-store; refuses without a session', async () => {
    const res = await desk.call('POST', '/session', { body: { email: ACCOUNTS.editor, password: PASSWORD } });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      user: { email: ACCOUNTS.editor, name: 'The editor', roles: ['editor'] },
    });
    const cookie = res.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/^gazette-session=[\w-]{43};/);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    expect(cookie).toMatch(/Path=\//);
    expect(cookie).not.toMatch(/Secure/); // the test desk is on http
    expect(res.headers.get('cache-control')).toBe('no-store');
    const none = await desk.call('GET', '/issues');
    expect(none.status).toBe(401);
    expect((await desk.call('GET', '/issues', { cookie: 'gazette-session=forged' })).status).toBe(401);
  });

  it('gives the same answer for an unknown e-mail and a wrong password', async () => {
    const wrong = await desk.call('POST', '/session', {
      body: { email: ACCOUNTS.sender, password: 'not it at all' },
    });
    const unknown = await desk.call('POST', '/session', {
      body: { email: 'nobody@desk.test', password: 'not it' },
    });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(await wrong.json()).toEqual(await unknown.json());
    expect(wrong.headers.get('set-cookie')).toBeNull();
    await desk.forgetFailures();
  });

  it('takes about as long for an unknown e-mail as for a wrong password (both hash)', async () => {
    const time = async (email: string) => {
      const started = performance.now();
      await desk.call('POST', '/session', { body: { email, password: 'wrong password' } });
      return performance.now() - started;
    };
    const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
    const known: number[] = [];
    const unknown: number[] = [];
    for (let i = 0; i < 2; i++) {
      known.push(await time(ACCOUNTS.admin));
      unknown.push(await time(`ghost${i}@desk.test`));
    }
    // A hash costs tens of ms; an unknown e-mail answered without one would take about a millisecond.
    expect(median(unknown)).toBeGreaterThan(median(known) / 3);
    await desk.forgetFailures();
  });

  it('sign-out ends the session: the same cookie no longer works', async () => {
    const cookie = await desk.signIn(ACCOUNTS.writer);
    expect((await desk.call('GET', '/issues', { cookie })).status).toBe(200);
    expect((await desk.call('DELETE', '/session', { cookie })).status).toBe(204);
    expect((await desk.call('GET', '/issues', { cookie })).status).toBe(401);
  });

  it('a new sign-in gets a new session id (rotation)', async () => {
    const first = await desk.signIn(ACCOUNTS.writer);
    const second = await desk.call('POST', '/session', {
      cookie: first,
      body: { email: ACCOUNTS.writer, password: PASSWORD },
    });
    const next = (second.headers.get('set-cookie') ?? '').split(';')[0];
    expect(next).not.toBe(first);
    expect((await desk.call('GET', '/issues', { cookie: first })).status).toBe(401);
    expect((await desk.call('GET', '/issues', { cookie: next })).status).toBe(200);
  });
});

// Each command is a child process that starts Node and hashes a password on a loaded machine.
describe('accounts from the command line', { timeout: 90_000 }, () => {
  it('users add reads the password from stdin; the new account signs in with its roles', async () => {
    const add = await runCli(
      ['users', 'add', 'Hana@Desk.test', '--role', 'writer,sender', '--name', 'Hana'],
      cli,
      `${PASSWORD}\n`,
    );
    expect(add).toMatchObject({ code: 0, stdout: 'added hana@desk.test (writer, sender)\n' });
    const cookie = await desk.signIn('hana@desk.test');
    const me = (await (await desk.call('GET', '/session', { cookie })).json()) as {
      user: { roles: string[] };
    };
    expect(me.user.roles).toEqual(['writer', 'sender']);
    const list = await runCli(['users', 'list', '--json'], cli);
    const users = list.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(users.find((u) => u.email === 'hana@desk.test')).toEqual({
      email: 'hana@desk.test',
      name: 'Hana',
      roles: ['writer', 'sender'],
      createdAt: expect.any(String),
      disabled: false,
      lastSignInAt: expect.any(String),
    });
    expect(list.stdout).not.toContain('scrypt');
    const dup = await runCli(['users', 'add', 'hana@desk.test', '--role', 'writer'], cli, `${PASSWORD}\n`);
    expect(dup.code).toBe(1);
    expect(dup.stderr).toMatch(/already/);
    const badRole = await runCli(['users', 'add', 'x@desk.test', '--role', 'boss'], cli, `${PASSWORD}\n`);
    expect(badRole).toMatchObject({ code: 1 });
    expect(badRole.stderr).toMatch(/unknown role "boss"/);
  });

  it('users remove ends the removed user’s session at once, and takes their second factors', async () => {
    await runCli(['users', 'add', 'gone@desk.test', '--role', 'editor'], cli, `${PASSWORD}\n`);
    const cookie = await desk.signIn('gone@desk.test');
    expect((await desk.call('GET', '/issues', { cookie })).status).toBe(200);
    const begun = await desk.gazette.secondFactors.begin('gone@desk.test');
    const code = TOTP.generate({ secret: Secret.fromBase32(begun?.secret ?? '') });
    expect(await desk.gazette.secondFactors.confirm('gone@desk.test', code)).toHaveLength(10);
    const passkey = { id: 'Z29uZQ', name: 'Phone', publicKey: 'AQ', counter: 0, transports: [] };
    const at = new Date().toISOString();
    expect(
      await desk.gazette.passkeys.add('gone@desk.test', { ...passkey, createdAt: at, lastUsedAt: null }),
    ).toBe(true);
    expect(await runCli(['users', 'remove', 'gone@desk.test'], cli)).toMatchObject({ code: 0 });
    expect((await desk.call('GET', '/issues', { cookie })).status).toBe(401);
    expect(await desk.gazette.secondFactors.enrolled('gone@desk.test')).toBe(false);
    // Its passkeys go too: the address added again later could not be signed into with them.
    expect(await desk.gazette.passkeys.has('gone@desk.test')).toBe(false);
    expect(await desk.gazette.passkeys.find(passkey.id)).toBeNull();
  });

  it('users passwd ends every session; the old password stops working', async () => {
    await runCli(['users', 'add', 'pw@desk.test', '--role', 'writer'], cli, `${PASSWORD}\n`);
    const a = await desk.signIn('pw@desk.test');
    const b = await desk.signIn('pw@desk.test');
    expect(await runCli(['users', 'passwd', 'pw@desk.test'], cli, 'a much newer password\n')).toMatchObject({
      code: 0,
    });
    for (const cookie of [a, b]) expect((await desk.call('GET', '/issues', { cookie })).status).toBe(401);
    const old = await desk.call('POST', '/session', { body: { email: 'pw@desk.test', password: PASSWORD } });
    expect(old.status).toBe(401);
    await desk.signIn('pw@desk.test', 'a much newer password');
  });

  it('tokens create prints a token once; it works with its roles and stops working when revoked', async () => {
    const made = await runCli(['tokens', 'create', '--name', 'cms', '--role', 'writer'], cli);
    expect(made.code).toBe(0);
    const token = made.stdout.trim();
    expect(token).toMatch(/^gzt_[\w-]{43}$/);
    expect((await desk.call('GET', '/issues', { token })).status).toBe(200);
    expect((await desk.call('GET', '/audit', { token })).status).toBe(403);
    const listed = await runCli(['tokens', 'list', '--json'], cli);
    expect(listed.stdout).not.toContain(token);
    const { id } = JSON.parse(listed.stdout.trim().split('\n')[0] as string) as { id: string };
    expect(await runCli(['tokens', 'revoke', id], cli)).toMatchObject({ code: 0 });
    expect((await desk.call('GET', '/issues', { token })).status).toBe(401);
    const audit = await runCli(['audit', '--json'], cli);
    const actions = audit.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l).action);
    expect(actions).toEqual(
      expect.arrayContaining(['user.add', 'user.remove', 'user.passwd', 'token.create', 'token.revoke']),
    );
  });
});

describe('cross-origin, host and size', () => {
  it('refuses a state change with the session cookie from another origin, or with no Origin', async () => {
    const cookie = await desk.signIn(ACCOUNTS.writer);
    const evil = await desk.call('POST', '/issues/201/review', { cookie, origin: 'https://evil.example' });
    expect(evil.status).toBe(403);
    const bare = await desk.call('POST', '/issues/201/review', { cookie, origin: null });
    expect(bare.status).toBe(403);
    const got = (await (await desk.call('GET', '/issues/201', { cookie })).json()) as { state: string };
    expect(got.state).toBe('draft');
  });

  it('answers only its own host', async () => {
    const { request } = await import('node:http');
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(
        `${desk.origin}/desk/api/issues`,
        { headers: { host: 'rebound.example' } },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on('error', reject);
      req.end();
    });
    expect(status).toBe(421);
  });
});

describe('saving', () => {
  it('428 without If-Match, 409 with the current revision when stale, 422 with the validate paths and words', async () => {
    const cookie = await desk.signIn(ACCOUNTS.writer);
    const json = localLinks(issue201Json(), desk.links);
    const put = (ifMatch: string | undefined, body: unknown) =>
      desk.call('PUT', '/issues/201', { cookie, body, headers: ifMatch ? { 'if-match': ifMatch } : {} });
    expect((await put(undefined, json)).status).toBe(428);
    expect((await put('1', { ...json, subject: 'second' })).status).toBe(200);
    const stale = await put('1', { ...json, subject: 'lost update' });
    expect(stale.status).toBe(409);
    expect(await stale.json()).toEqual({
      error: expect.any(String),
      code: 'stale',
      params: { number: 201 },
      message: expect.any(String),
      revision: 2,
    });
    const bad = structuredClone(json);
    bad.lead.url = 'javascript:alert(1)';
    delete bad.photo.image.alt;
    const invalid = await put('2', bad);
    expect(invalid.status).toBe(422);
    let expected: { path: string; code: string; params: object; message: string }[] = [];
    try {
      parseIssue(bad);
    } catch (err) {
      expected = (err as IssueError).problems.map(({ path, code, params, message }) => ({
        path,
        code,
        params,
        message,
      }));
    }
    expect(expected.length).toBeGreaterThan(1);
    expect(await invalid.json()).toEqual({ errors: expected });
    // Each problem has a code the desk words in the editor's language (STYLE habit 14).
    expect(expected.map((e) => `${e.path} ${e.code}`)).toEqual(['lead.url link', 'photo.image.alt required']);
    const revisions = (await (await desk.call('GET', '/issues/201/revisions', { cookie })).json()) as {
      revisions: { revision: number; by: string }[];
    };
    expect(revisions.revisions.map((r) => [r.revision, r.by])).toEqual([
      [1, ACCOUNTS.writer],
      [2, ACCOUNTS.writer],
    ]);
  });

  it('an approved issue goes back to draft when saved; approval is refused while a check fails', async () => {
    const writer = await desk.signIn(ACCOUNTS.writer);
    const editor = await desk.signIn(ACCOUNTS.editor);
    const current = (await (await desk.call('GET', '/issues/201', { cookie: writer })).json()) as {
      issue: ReturnType<typeof issue201Json>;
      revision: number;
    };
    const broken = structuredClone(current.issue);
    broken.lead.url = `${desk.links}/gone/article`;
    const saved = await desk.call('PUT', '/issues/201', {
      cookie: writer,
      body: broken,
      headers: { 'if-match': String(current.revision) },
    });
    expect(saved.status).toBe(200);
    await desk.call('POST', '/issues/201/review', { cookie: writer });
    const refused = await desk.call('POST', '/issues/201/approve', { cookie: editor });
    expect(refused.status).toBe(409);
    expect(((await refused.json()) as { error: string }).error).toMatch(/lead\.url/);
    const checks = (await (await desk.call('GET', '/issues/201/checks', { cookie: editor })).json()) as {
      checks: { level: string; path?: string }[];
    };
    expect(checks.checks).toContainEqual(expect.objectContaining({ level: 'error', path: 'lead.url' }));

    const { revision } = (await saved.json()) as { revision: number };
    const fixed = await desk.call('PUT', '/issues/201', {
      cookie: writer,
      body: current.issue,
      headers: { 'if-match': String(revision) },
    });
    expect(fixed.status).toBe(200);
    await desk.call('POST', '/issues/201/review', { cookie: writer });
    expect((await desk.call('POST', '/issues/201/approve', { cookie: editor })).status).toBe(200);
    const again = await desk.call('PUT', '/issues/201', {
      cookie: writer,
      body: { ...current.issue, subject: 'after approval' },
      headers: { 'if-match': String(revision + 1) },
    });
    expect(await again.json()).toEqual({ revision: revision + 2, state: 'draft' });
  });
});

describe('sign-in throttling', () => {
  it('refuses the 6th failure for one e-mail within 15 minutes with 429, even with the right password', async () => {
    await desk.forgetFailures();
    for (let i = 0; i < 5; i++) {
      const res = await desk.call('POST', '/session', {
        body: { email: ACCOUNTS.sender, password: `wrong ${i}` },
      });
      expect(res.status).toBe(401);
    }
    const sixth = await desk.call('POST', '/session', {
      body: { email: ACCOUNTS.sender, password: PASSWORD },
    });
    expect(sixth.status).toBe(429);
    await desk.forgetFailures();
  });

  it('refuses the 6th failure from one address with 429, whatever the e-mail', async () => {
    for (let i = 0; i < 5; i++) {
      const res = await desk.call('POST', '/session', {
        body: { email: `guess${i}@desk.test`, password: 'x' },
      });
      expect(res.status).toBe(401);
    }
    const sixth = await desk.call('POST', '/session', {
      body: { email: ACCOUNTS.editor, password: PASSWORD },
    });
    expect(sixth.status).toBe(429);
    await desk.forgetFailures();
  });
});

// Last: the server closes the connection of a refused upload, which the client's pool then drops.
describe('size', () => {
  it('refuses a body over the limit with 413', async () => {
    const cookie = await desk.signIn(ACCOUNTS.writer);
    const big = JSON.stringify({ issue: { padding: 'x'.repeat(2 * 1024 * 1024) } });
    const res = await desk.call('POST', '/issues', { cookie, body: big });
    expect(res.status).toBe(413);
  });
});
