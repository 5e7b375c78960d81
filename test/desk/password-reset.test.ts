import { type ParsedMail, simpleParser } from 'mailparser';
import { Secret, TOTP } from 'otpauth';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { INVITE_LINK_MS, RESET_LINK_MS } from '../../src/accounts/account-link-store.ts';
import { deleteKeys } from '../../src/redis.ts';
import { ACCOUNTS, PASSWORD, startTestDesk, type TestDesk } from '../helpers/desk-server.ts';

// Issue 22, items 2 and 4 (mail parts): a forgotten password reset by a mailed link, and a member
// invited by mail who chooses their first password with the same kind of link. Real HTTP, a real
// Redis, the mails read from a real SMTP server; the stores' clock is moved to expire links.

let desk: TestDesk;
let shift = 0;
const clock = () => Date.now() + shift;
let ip = 0;
/** A fresh client address each time (the desk believes X-Forwarded-For from 127.0.0.1 here). */
const fresh = () => ({ 'x-forwarded-for': `198.51.100.${++ip % 250}` });

beforeAll(async () => {
  desk = await startTestDesk('password-reset', { TRUST_PROXY: '127.0.0.1' }, { clock });
});
beforeEach(async () => {
  shift = 0;
  await deleteKeys(desk.t.redis, `${desk.t.prefix}:limit:*`);
});
afterAll(() => desk?.close());

const ask = (email: string, headers: Record<string, string> = fresh()) =>
  desk.call('POST', '/password-reset', { body: { email }, headers });

/** The next mail to `to` after the sink's `from`-th message, parsed. */
async function mailTo(to: string, from = 0, timeoutMs = 10_000): Promise<ParsedMail> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = desk.sink.messages.slice(from).find((m) => m.to.includes(to));
    if (found) return simpleParser(found.raw);
    if (Date.now() > deadline) throw new Error(`no mail to ${to}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

const tokenOf = (mail: ParsedMail) => {
  const m = /\/desk\/reset\/([\w-]{43})\b/.exec(mail.text ?? '');
  if (!m?.[1]) throw new Error(`no link in: ${mail.text}`);
  return m[1];
};

/** Asks a reset for `email` and reads the link from the mail. */
async function resetToken(email: string): Promise<string> {
  const mark = desk.sink.messages.length;
  expect((await ask(email)).status).toBe(202);
  return tokenOf(await mailTo(email, mark));
}

const setPassword = (token: string, password: string, headers: Record<string, string> = fresh()) =>
  desk.call('POST', `/password-reset/${token}`, { body: { password }, headers });

const actions = async () => (await desk.gazette.audit.since(0)).map((e) => `${e.action} ${e.target}`);

describe('asking for a reset', () => {
  it('answers a known and an unknown address alike, and mails only the known one a link of 256 bits', async () => {
    const mark = desk.sink.messages.length;
    const unknown = await ask('nobody@desk.test');
    const known = await ask(ACCOUNTS.writer);
    expect(unknown.status).toBe(202);
    expect(known.status).toBe(202);
    expect(await known.text()).toBe(await unknown.text());
    const mail = await mailTo(ACCOUNTS.writer, mark);
    // The unknown address was asked first: its turn is long over, and nothing went to it.
    expect(desk.sink.messages.slice(mark).flatMap((m) => m.to)).toEqual([ACCOUNTS.writer]);
    const token = tokenOf(mail);
    expect(mail.text).toContain(`${desk.origin}/desk/reset/${token}`);
    expect(Buffer.from(token, 'base64url')).toHaveLength(32);
    // Only a digest is stored: the token itself is nowhere in Redis.
    const keys = await desk.t.redis.keys(`${desk.t.prefix}:account-link*`);
    expect(keys.join(' ')).not.toContain(token);
    const values = await Promise.all(keys.map((k) => desk.t.redis.get(k)));
    expect(values.join(' ')).not.toContain(token);
    expect(await actions()).toEqual(
      expect.arrayContaining([
        'user.password-reset-ask unknown:nobody@desk.test',
        `user.password-reset-ask user:${ACCOUNTS.writer}`,
      ]),
    );
  });

  it('takes as long for an unknown address as for a known one (the link is made after the answer)', async () => {
    const timed = async (email: string) => {
      const t0 = performance.now();
      expect((await ask(email)).status).toBe(202);
      return performance.now() - t0;
    };
    const known: number[] = [];
    const unknown: number[] = [];
    for (let i = 0; i < 8; i++) {
      await deleteKeys(desk.t.redis, `${desk.t.prefix}:limit:*`);
      const mark = desk.sink.messages.length;
      unknown.push(await timed(`stranger${i}@desk.test`));
      known.push(await timed(ACCOUNTS.editor));
      // The known address's mail goes out after its answer; the next pair is timed once it is gone.
      await mailTo(ACCOUNTS.editor, mark);
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1] as number;
    console.log(
      `reset ask: known ${median(known).toFixed(1)} ms, unknown ${median(unknown).toFixed(1)} ms (median of 8)`,
    );
    // A mail on the answer's path would take tens of ms (render + SMTP); a lookup takes well under one.
    expect(Math.abs(median(known) - median(unknown))).toBeLessThan(25);
  });

  it('answers in Japanese unless the desk speaks another language, and in that language then', async () => {
    let mark = desk.sink.messages.length;
    await ask(ACCOUNTS.sender, { ...fresh(), 'accept-language': '' });
    const ja = await mailTo(ACCOUNTS.sender, mark);
    expect(ja.subject).toBe('Gazette デスクのパスワード再設定');
    expect(ja.text).toContain('30分間');
    mark = desk.sink.messages.length;
    await ask(ACCOUNTS.sender, { ...fresh(), 'accept-language': 'ko-KR,ko;q=0.9' });
    expect((await mailTo(ACCOUNTS.sender, mark)).subject).toBe('Gazette 데스크 비밀번호 재설정');
  });

  it('throttles as sign-in does: per client address and per account address (429 with Retry-After)', async () => {
    const from = fresh();
    for (let i = 0; i < 5; i++) expect((await ask(`flood${i}@desk.test`, from)).status).toBe(202);
    const sixth = await ask('flood9@desk.test', from);
    expect(sixth.status).toBe(429);
    expect(Number(sixth.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(((await sixth.json()) as { code: string }).code).toBe('reset-throttled');
    // One account from many addresses: its inbox is not flooded either, known or not.
    for (const address of [ACCOUNTS.admin, 'ghost@desk.test']) {
      for (let i = 0; i < 5; i++) expect((await ask(address)).status).toBe(202);
      expect((await ask(address)).status).toBe(429);
    }
  });

  it('refuses hostile addresses with 422 and mails nobody', async () => {
    const mark = desk.sink.messages.length;
    for (const email of [
      `${ACCOUNTS.writer}\r\nBcc: victim@example.com`,
      `${ACCOUNTS.writer}\nBcc: victim@example.com`,
      'a'.repeat(400),
      'writer@desk.test,victim@example.com',
      '"x"@desk.test',
    ]) {
      const res = await ask(email);
      expect(res.status, email).toBe(422);
      expect(((await res.json()) as { errors: { path: string }[] }).errors[0]?.path).toBe('email');
    }
    expect((await ask('   Writer@Desk.TEST ')).status).toBe(202);
    await mailTo(ACCOUNTS.writer, mark);
    expect(desk.sink.messages.slice(mark).flatMap((m) => m.to)).toEqual([ACCOUNTS.writer]);
  });
});

describe('using the link', () => {
  it('sets the password once (the second use is 410), ends every session, keeps the second factor', async () => {
    const email = 'reset-once@desk.test';
    await desk.gazette.users.add({ email, name: 'Once', roles: ['writer'], password: PASSWORD });
    const laptop = await desk.signIn(email);
    const phone = await desk.signIn(email);
    const begun = await desk.gazette.secondFactors.begin(email);
    const secret = Secret.fromBase32(begun?.secret ?? '');
    const recovery = await desk.gazette.secondFactors.confirm(email, TOTP.generate({ secret }));
    expect(recovery).toHaveLength(10);
    const token = await resetToken(email);
    const shown = await desk.call('GET', `/password-reset/${token}`);
    expect(await shown.json()).toEqual({ purpose: 'reset', email, name: 'Once', minPassword: 10 });
    // A weak password is refused with the rule of `gazette users passwd`, and the link stays.
    const weak = await setPassword(token, 'short', { ...fresh(), 'accept-language': 'ja' });
    expect(weak.status).toBe(422);
    expect(((await weak.json()) as { errors: unknown[] }).errors[0]).toMatchObject({
      path: 'password',
      code: 'password',
      params: { min: 10 },
      message: 'パスワードは10文字以上にしてください。',
    });
    expect((await setPassword(token, 'a brand new passphrase')).status).toBe(204);
    expect((await setPassword(token, 'another new passphrase')).status).toBe(410);
    expect((await desk.call('GET', `/password-reset/${token}`)).status).toBe(410);
    for (const cookie of [laptop, phone])
      expect((await desk.call('GET', '/session', { cookie })).status).toBe(401);
    expect((await desk.call('POST', '/session', { body: { email, password: PASSWORD } })).status).toBe(401);
    await desk.forgetFailures();
    // The new password signs in, and the second factor is still asked for: a reset by mail does not remove it.
    const signIn = await desk.call('POST', '/session', {
      body: { email, password: 'a brand new passphrase' },
    });
    expect(signIn.status).toBe(401);
    expect(((await signIn.json()) as { secondFactor?: boolean }).secondFactor).toBe(true);
    expect(await desk.gazette.secondFactors.enrolled(email)).toBe(true);
    const withCode = await desk.call('POST', '/session', {
      body: { email, password: 'a brand new passphrase', code: recovery?.[0] },
    });
    expect(withCode.status).toBe(200);
    expect(await actions()).toEqual(
      expect.arrayContaining([
        `user.password-reset user:${email}`,
        // The second use: the link is gone, so whose it was is not known any more.
        'user.password-reset-refused link:unknown',
      ]),
    );
  });

  it('refuses a link after 30 minutes (410), and audits the refusal', async () => {
    const token = await resetToken(ACCOUNTS.editor);
    shift = RESET_LINK_MS - 1000;
    expect((await desk.call('GET', `/password-reset/${token}`)).status).toBe(200);
    shift = RESET_LINK_MS + 1000;
    expect((await desk.call('GET', `/password-reset/${token}`)).status).toBe(410);
    const late = await setPassword(token, 'too late a passphrase');
    expect(late.status).toBe(410);
    expect(((await late.json()) as { code: string }).code).toBe('account-link-gone');
    shift = 0;
    await desk.forgetFailures();
    await desk.signIn(ACCOUNTS.editor);
    expect(await actions()).toContain(`user.password-reset-refused user:${ACCOUNTS.editor} (expired)`);
  });

  it('ends the earlier link when a new one is asked for', async () => {
    const first = await resetToken(ACCOUNTS.sender);
    const second = await resetToken(ACCOUNTS.sender);
    expect((await setPassword(first, 'first link passphrase')).status).toBe(410);
    expect((await setPassword(second, 'second link passphrase')).status).toBe(204);
    await desk.gazette.users.setPassword(ACCOUNTS.sender, PASSWORD);
  });

  it("refuses a link made before its account was removed and added again (it is not the new member's)", async () => {
    const email = 'again@desk.test';
    await desk.gazette.users.add({ email, name: 'First', roles: ['writer'], password: PASSWORD });
    const token = await resetToken(email);
    await desk.gazette.users.remove(email);
    shift = 1000;
    await desk.gazette.users.add({ email, name: 'Second', roles: ['admin'], password: PASSWORD });
    expect((await desk.call('GET', `/password-reset/${token}`)).status).toBe(410);
    expect((await setPassword(token, 'not the new one passphrase')).status).toBe(410);
    await desk.forgetFailures();
    expect((await desk.signIn(email)).length).toBeGreaterThan(0);
  });

  it('gives a link used twice at once to one of them only', async () => {
    const email = 'race@desk.test';
    await desk.gazette.users.add({ email, name: '', roles: ['writer'], password: PASSWORD });
    const token = await resetToken(email);
    const answers = await Promise.all([
      setPassword(token, 'racing passphrase one'),
      setPassword(token, 'racing passphrase two'),
    ]);
    expect(answers.map((r) => r.status).sort()).toEqual([204, 410]);
  });

  it('refuses made-up tokens with 410, counting them against the address', async () => {
    const from = fresh();
    for (const token of ['x'.repeat(43), 'short', '..%2F..%2Fetc', 'A'.repeat(64)]) {
      expect((await setPassword(token, 'whatever passphrase', from)).status).toBe(410);
    }
    expect((await setPassword('y'.repeat(43), 'whatever passphrase', from)).status).toBe(410);
    expect((await setPassword('z'.repeat(43), 'whatever passphrase', from)).status).toBe(429);
    expect((await desk.call('GET', `/password-reset/${'x'.repeat(65)}`)).status).toBe(422);
  });
});

describe('inviting a member', () => {
  it('invites, mails a 7-day link that greets them, sets the first password, and they sign in', async () => {
    const admin = await desk.signIn(ACCOUNTS.admin);
    const email = 'new.member@desk.test';
    const mark = desk.sink.messages.length;
    const res = await desk.call('POST', '/users', {
      cookie: admin,
      body: { email: ' New.Member@desk.test', name: '新井 花子', roles: ['writer', 'editor'] },
      headers: { 'accept-language': 'ja' },
    });
    expect(res.status).toBe(201);
    expect(await res.json()).toEqual({ user: { email, name: '新井 花子', roles: ['writer', 'editor'] } });
    const mail = await mailTo(email, mark);
    expect(mail.subject).toBe('Gazette デスクへの招待');
    expect(mail.text).toContain('ようこそ、新井 花子さん');
    expect(mail.text).toContain('The adminさんがあなたを');
    expect(mail.text).toContain('7日間');
    const token = tokenOf(mail);
    // No password works before the link is used.
    expect((await desk.call('POST', '/session', { body: { email, password: '' } })).status).toBe(422);
    expect((await desk.call('POST', '/session', { body: { email, password: PASSWORD } })).status).toBe(401);
    await desk.forgetFailures();
    expect(await (await desk.call('GET', `/password-reset/${token}`)).json()).toEqual({
      purpose: 'invite',
      email,
      name: '新井 花子',
      minPassword: 10,
    });
    // Still good on the 7th day, and nobody else's invitation.
    shift = INVITE_LINK_MS - 60_000;
    expect((await setPassword(token, 'my first passphrase')).status).toBe(204);
    shift = 0;
    const session = await desk.call('POST', '/session', { body: { email, password: 'my first passphrase' } });
    expect(session.status).toBe(200);
    expect(((await session.json()) as { user: { roles: string[] } }).user.roles).toEqual([
      'writer',
      'editor',
    ]);
    // Once a member, no more invitations.
    const again = await desk.call('POST', `/users/${encodeURIComponent(email)}/invite`, { cookie: admin });
    expect(again.status).toBe(409);
    expect(((await again.json()) as { code: string }).code).toBe('user-active');
    expect(await actions()).toEqual(
      expect.arrayContaining([
        `user.invite user:${email} (writer,editor)`,
        `user.invite-accept user:${email}`,
      ]),
    );
  });

  it('refuses an address already taken (409 user-exists), and hostile bodies (422), changing nothing', async () => {
    const admin = await desk.signIn(ACCOUNTS.admin);
    const taken = await desk.call('POST', '/users', {
      cookie: admin,
      body: { email: ACCOUNTS.writer, roles: ['admin'] },
    });
    expect(taken.status).toBe(409);
    expect(((await taken.json()) as { code: string }).code).toBe('user-exists');
    expect((await desk.gazette.users.get(ACCOUNTS.writer))?.roles).toEqual(['writer']);
    const before = (await desk.gazette.users.list()).length;
    const mark = desk.sink.messages.length;
    for (const body of [
      { email: 'x@desk.test\r\nBcc: victim@example.com', roles: ['writer'] },
      { email: 'y@desk.test', name: 'Eve\r\nBcc: victim@example.com', roles: ['writer'] },
      { email: 'z@desk.test', roles: ['owner'] },
      { email: 'z@desk.test', roles: [] },
    ]) {
      expect((await desk.call('POST', '/users', { cookie: admin, body })).status, JSON.stringify(body)).toBe(
        422,
      );
    }
    expect((await desk.gazette.users.list()).length).toBe(before);
    expect(desk.sink.messages.length).toBe(mark);
  });

  it('lets only an admin invite (403 for the others)', async () => {
    for (const role of ['writer', 'editor', 'sender'] as const) {
      const cookie = await desk.signIn(ACCOUNTS[role]);
      const res = await desk.call('POST', '/users', {
        cookie,
        body: { email: `by-${role}@desk.test`, roles: ['admin'] },
      });
      expect(res.status, role).toBe(403);
      expect(await desk.gazette.users.get(`by-${role}@desk.test`)).toBeNull();
    }
    expect(
      (await desk.call('POST', '/users', { body: { email: 'anon@desk.test', roles: ['admin'] } })).status,
    ).toBe(401);
  });

  it('resends an invitation: the earlier link stops working, the new one works', async () => {
    const admin = await desk.signIn(ACCOUNTS.admin);
    const email = 'resent@desk.test';
    let mark = desk.sink.messages.length;
    expect(
      (await desk.call('POST', '/users', { cookie: admin, body: { email, roles: ['writer'] } })).status,
    ).toBe(201);
    const first = tokenOf(await mailTo(email, mark));
    mark = desk.sink.messages.length;
    const resent = await desk.call('POST', `/users/${email}/invite`, { cookie: admin });
    expect(resent.status).toBe(200);
    const mail = await mailTo(email, mark);
    expect(mail.subject).toBe('You are invited to the Gazette desk');
    expect(mail.text).toContain(`Welcome, ${email}`);
    const second = tokenOf(mail);
    expect(second).not.toBe(first);
    expect((await setPassword(first, 'from the first link')).status).toBe(410);
    expect((await setPassword(second, 'from the second link')).status).toBe(204);
    expect((await desk.call('POST', '/users/nobody%40desk.test/invite', { cookie: admin })).status).toBe(404);
    expect(await actions()).toContain(`user.invite-resend user:${email}`);
  });
});
