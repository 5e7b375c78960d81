import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ACCOUNTS, PASSWORD, startTestDesk, type TestDesk } from '../helpers/desk-server.ts';

// Issue 17, points 2 and 3: the sign-in limit is reserved before the password hash runs, and it
// locks an (e-mail, IP) pair and an IP, never an e-mail for everyone.

/** POST /session as a client at `ip` (an X-Forwarded-For hop; believed only behind TRUST_PROXY). */
function attempt(desk: TestDesk, email: string, password: string, ip?: string) {
  const headers: Record<string, string> = ip ? { 'x-forwarded-for': ip } : {};
  return desk.call('POST', '/session', { body: { email, password }, headers });
}

/** Each 401 is a password that was checked; a 429 was refused before any hash ran. */
async function tally(answers: Response[]) {
  const statuses = answers.map((r) => r.status);
  for (const r of answers) {
    if (r.status === 429) {
      const wait = Number(r.headers.get('retry-after'));
      expect(wait).toBeGreaterThan(0);
      expect(wait).toBeLessThanOrEqual(15 * 60);
    }
    await r.body?.cancel();
  }
  return {
    checked: statuses.filter((s) => s === 401).length,
    refused: statuses.filter((s) => s === 429).length,
    other: statuses.filter((s) => s !== 401 && s !== 429),
  };
}

describe('sign-in limits under concurrency, behind no proxy', () => {
  let desk: TestDesk;
  beforeAll(async () => {
    desk = await startTestDesk('sign-in-race');
  });
  afterEach(() => desk.forgetFailures());
  afterAll(() => desk?.close());

  it('checks at most 5 of 40 wrong passwords sent at once for one account; a forged X-Forwarded-For changes nothing', async () => {
    const answers = await Promise.all(
      Array.from({ length: 40 }, (_, i) => attempt(desk, ACCOUNTS.editor, `wrong ${i}`, `198.51.100.${i}`)),
    );
    const figures = await tally(answers);
    console.log(JSON.stringify({ 'passwords checked of 40 (one account)': figures.checked }));
    expect(figures.other).toEqual([]);
    expect(figures.checked).toBeLessThanOrEqual(5);
    expect(figures.checked + figures.refused).toBe(40);
    // The window holds: the right password from this address is refused too.
    expect((await attempt(desk, ACCOUNTS.editor, PASSWORD)).status).toBe(429);
  });

  it('checks at most 5 of 40 sign-ins sent at once from one address for 40 e-mails', async () => {
    const answers = await Promise.all(
      Array.from({ length: 40 }, (_, i) => attempt(desk, `guess${i}@desk.test`, 'not it')),
    );
    const figures = await tally(answers);
    console.log(JSON.stringify({ 'passwords checked of 40 (one address)': figures.checked }));
    expect(figures.other).toEqual([]);
    expect(figures.checked).toBeLessThanOrEqual(5);
  });

  it('a correct sign-in does not use up the limit: 8 in a row all succeed', async () => {
    for (let i = 0; i < 8; i++) await desk.signIn(ACCOUNTS.writer);
  });
});

describe('sign-in limits behind a trusted proxy (TRUST_PROXY)', () => {
  let desk: TestDesk;
  const ATTACKER = '203.0.113.7';
  const USER = '198.51.100.20';
  beforeAll(async () => {
    desk = await startTestDesk('sign-in-proxy', { TRUST_PROXY: '127.0.0.1' });
  });
  afterAll(() => desk?.close());

  it("one client's failures lock that client out, not the user from elsewhere nor the whole desk", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) {
      // The left hop is whatever the attacker sent; the proxy appends the address it saw.
      const res = await attempt(desk, ACCOUNTS.editor, `wrong ${i}`, `10.0.0.${i}, ${ATTACKER}`);
      statuses.push(res.status);
      if (res.status === 429) expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
      await res.body?.cancel();
    }
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429]);

    const user = await attempt(desk, ACCOUNTS.editor, PASSWORD, USER);
    expect(user.status).toBe(200);
    expect(await user.json()).toMatchObject({ user: { email: ACCOUNTS.editor } });
    // Another client who mistypes hears 401, not the attacker's 429.
    expect((await attempt(desk, ACCOUNTS.writer, 'typo', '192.0.2.55')).status).toBe(401);

    // From the attacker's address, the right password and another account are both refused.
    const same = await attempt(desk, ACCOUNTS.editor, PASSWORD, ATTACKER);
    expect(same.status).toBe(429);
    expect(same.headers.get('retry-after')).toMatch(/^\d+$/);
    expect((await attempt(desk, ACCOUNTS.admin, PASSWORD, ATTACKER)).status).toBe(429);
  });

  it('counts an IPv6 client by its /64: rotating addresses inside it buys no more tries', async () => {
    const statuses: number[] = [];
    for (let i = 1; i <= 6; i++) {
      const res = await attempt(desk, ACCOUNTS.sender, `wrong ${i}`, `2001:db8:1:2::${i.toString(16)}`);
      statuses.push(res.status);
      await res.body?.cancel();
    }
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429]);
    expect((await attempt(desk, ACCOUNTS.sender, PASSWORD, '2001:db8:1:3::1')).status).toBe(200);
  });
});
