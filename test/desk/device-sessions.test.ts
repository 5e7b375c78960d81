import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { deviceLabel, MAX_USER_AGENT } from '../../src/accounts/device-label.ts';
import { createSessionStore, SEEN_EVERY_MS } from '../../src/accounts/session-store.ts';
import { ACCOUNTS, PASSWORD, startTestDesk, type TestDesk } from '../helpers/desk-server.ts';

// Issue 22, part 4: each user sees the devices signed in as them and ends any of them, over real HTTP
// and a real Redis; an ended session's cookie stops working at once.

const WINDOWS_CHROME =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
const IPHONE_SAFARI =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1';

type Listed = {
  id: string;
  device: string;
  ip: string;
  createdAt: string;
  lastSeenAt: string;
  current: boolean;
};

let desk: TestDesk;
beforeAll(async () => {
  desk = await startTestDesk('device-sessions');
});
afterEach(() => desk.forgetFailures());
afterAll(() => desk?.close());

/** Signs `email` in from a browser that says `userAgent`; the cookie and its bare value. */
async function signInFrom(email: string, userAgent: string): Promise<{ cookie: string; value: string }> {
  const res = await desk.call('POST', '/session', {
    body: { email, password: PASSWORD },
    headers: { 'user-agent': userAgent, 'accept-language': 'en' },
  });
  expect(res.status).toBe(200);
  const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  return { cookie, value: cookie.split('=')[1] ?? '' };
}

async function list(cookie: string): Promise<Listed[]> {
  const res = await desk.call('GET', '/me/sessions', { cookie });
  expect(res.status).toBe(200);
  return ((await res.json()) as { sessions: Listed[] }).sessions;
}

describe('one’s own sessions', () => {
  it('lists device, IP, times and the current one, never a cookie; ending one makes its cookie fail', async () => {
    const pc = await signInFrom(ACCOUNTS.editor, WINDOWS_CHROME);
    const phone = await signInFrom(ACCOUNTS.editor, IPHONE_SAFARI);
    const sessions = await list(pc.cookie);
    expect(sessions).toHaveLength(2);
    const mine = sessions.find((s) => s.current);
    const other = sessions.find((s) => !s.current);
    expect(mine).toMatchObject({ device: 'Chrome 131 · Windows 10', ip: '127.0.0.1' });
    expect(other).toMatchObject({ device: 'Safari 17 · iOS 17.4 · iPhone', ip: '127.0.0.1', current: false });
    expect(Date.now() - Date.parse(mine?.createdAt ?? '')).toBeLessThan(60_000);
    expect(Date.parse(mine?.lastSeenAt ?? '')).toBeGreaterThanOrEqual(Date.parse(mine?.createdAt ?? ''));
    const raw = JSON.stringify(sessions);
    expect(raw).not.toContain(pc.value);
    expect(raw).not.toContain(phone.value);
    // The other device sees itself as the current one.
    expect((await list(phone.cookie)).find((s) => s.current)?.id).toBe(other?.id);

    const ended = await desk.call('DELETE', `/me/sessions/${other?.id}`, { cookie: pc.cookie });
    expect(ended.status).toBe(204);
    expect((await desk.call('GET', '/issues', { cookie: phone.cookie })).status).toBe(401);
    expect((await desk.call('GET', '/issues', { cookie: pc.cookie })).status).toBe(200);
    expect((await list(pc.cookie)).map((s) => s.id)).toEqual([mine?.id]);
    const audit = await desk.gazette.audit.since(0);
    expect(audit).toContainEqual(
      expect.objectContaining({
        user: ACCOUNTS.editor,
        action: 'session.end',
        target: `user:${ACCOUNTS.editor} session:${other?.id.slice(0, 8)}`,
      }),
    );
    // Twice: it is gone.
    const again = await desk.call('DELETE', `/me/sessions/${other?.id}`, {
      cookie: pc.cookie,
      headers: { 'accept-language': 'ja' },
    });
    expect(again.status).toBe(404);
    // In the desk's words: サインイン, as everywhere else in it.
    expect(await again.json()).toMatchObject({
      code: 'no-session',
      message: 'そのサインインはありません。すでに終わっているかもしれません。',
    });
  });

  it('cannot end someone else’s session, nor name one with a cookie value or junk', async () => {
    const mine = await signInFrom(ACCOUNTS.writer, WINDOWS_CHROME);
    const theirs = await signInFrom(ACCOUNTS.sender, IPHONE_SAFARI);
    const [their] = await list(theirs.cookie);
    for (const id of [their?.id, theirs.value, 'x'.repeat(43), '..%2F..%2Fsession', 'x'.repeat(64)]) {
      const res = await desk.call('DELETE', `/me/sessions/${id}`, { cookie: mine.cookie });
      expect(res.status, String(id)).toBe(404);
    }
    expect((await desk.call('GET', '/issues', { cookie: theirs.cookie })).status).toBe(200);
    expect(
      (await desk.call('DELETE', `/me/sessions/${'x'.repeat(65)}`, { cookie: mine.cookie })).status,
    ).toBe(422);
  });

  it('ends every other session at once, keeping the one that asks', async () => {
    const keep = await signInFrom(ACCOUNTS.sender, WINDOWS_CHROME);
    const others = [
      await signInFrom(ACCOUNTS.sender, IPHONE_SAFARI),
      await signInFrom(ACCOUNTS.sender, 'curl/8'),
    ];
    expect((await list(keep.cookie)).length).toBeGreaterThanOrEqual(3);
    expect((await desk.call('DELETE', '/me/sessions', { cookie: keep.cookie })).status).toBe(204);
    for (const o of others)
      expect((await desk.call('GET', '/issues', { cookie: o.cookie })).status).toBe(401);
    const left = await list(keep.cookie);
    expect(left).toHaveLength(1);
    expect(left[0]?.current).toBe(true);
    const audit = await desk.gazette.audit.since(0);
    expect(audit.filter((e) => e.action === 'session.end-others' && e.user === ACCOUNTS.sender)).toHaveLength(
      1,
    );
  });

  it('is for people: an API token has no sessions (404), and a signed-out visitor gets 401', async () => {
    const token = (await desk.gazette.tokens.create({ name: 'cms', roles: ['writer'], by: 'test' })).token;
    const res = await desk.call('GET', '/me/sessions', { token });
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ code: 'no-account' });
    expect((await desk.call('GET', '/me/sessions')).status).toBe(401);
  });

  it('a hostile User-Agent is kept as a short plain label, never as sent', async () => {
    const script = `<img src=x onerror=alert(1)> Chrome/1 ${'A'.repeat(5000)}`;
    const { cookie } = await signInFrom(ACCOUNTS.admin, script);
    const [s] = await list(cookie);
    expect(s?.device.length ?? 99).toBeLessThanOrEqual(80);
    expect(s?.device).not.toContain('<');
    const stored = await desk.t.redis.keys(`${desk.t.prefix}:session:*`);
    for (const key of stored)
      expect(JSON.stringify(await desk.t.redis.hgetall(key))).not.toContain('onerror');
  });
});

describe('device labels', () => {
  it('reads common browsers and stays fast on the worst input', () => {
    expect(deviceLabel(WINDOWS_CHROME)).toBe('Chrome 131 · Windows 10');
    expect(deviceLabel(IPHONE_SAFARI)).toBe('Safari 17 · iOS 17.4 · iPhone');
    expect(deviceLabel(undefined)).toBe('');
    expect(deviceLabel('\u0000\u202e')).toBe('');
    const started = performance.now();
    for (const ua of [
      'Mozilla/5.0 ('.repeat(50_000),
      `${'a'.repeat(1_000_000)} Chrome/`,
      ' '.repeat(MAX_USER_AGENT * 100),
    ])
      deviceLabel(ua);
    expect(performance.now() - started).toBeLessThan(200);
  });
});

describe('last seen', () => {
  it('is written at most once a minute, however often the session is used', async () => {
    let now = Date.parse('2026-12-01T00:00:00Z');
    const store = createSessionStore({
      redis: desk.t.redis,
      prefix: `${desk.t.prefix}:seen`,
      clock: () => now,
    });
    const id = await store.create('seen@desk.test', { device: 'Firefox 133 · Linux', ip: '192.0.2.7' });
    const seen = async () => (await store.list('seen@desk.test'))[0]?.lastSeenAt;
    now += SEEN_EVERY_MS - 1;
    await store.get(id);
    expect(await seen()).toBe(Date.parse('2026-12-01T00:00:00Z'));
    now += 1;
    await store.get(id);
    expect(await seen()).toBe(now);
    const written = now;
    now += 30_000;
    await store.get(id);
    expect(await seen()).toBe(written);
    expect(await store.list('seen@desk.test')).toEqual([
      {
        id: store.publicId(id),
        device: 'Firefox 133 · Linux',
        ip: '192.0.2.7',
        createdAt: expect.any(Number),
        lastSeenAt: written,
      },
    ]);
  });
});
