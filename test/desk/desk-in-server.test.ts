import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nextMonth } from '../../src/issue/drafts/scaffold.ts';
import { type DeskApp, PASSWORD, startDeskApp } from '../e2e/desk-app.ts';

let desk: DeskApp;
const cookies: Record<string, string> = {};

async function call(method: string, path: string, who?: string, body?: unknown) {
  const headers: Record<string, string> = { origin: desk.origin };
  if (who) headers.cookie = cookies[who] ?? '';
  if (body !== undefined) headers['content-type'] = 'application/json';
  return fetch(`${desk.origin}/desk/api${path}`, {
    method,
    headers,
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
}

beforeAll(async () => {
  desk = await startDeskApp({ 'w@desk.test': ['writer'], 'a@desk.test': ['admin'] });
  for (const email of ['w@desk.test', 'a@desk.test']) {
    const res = await call('POST', '/session', undefined, { email, password: PASSWORD });
    cookies[email] = (res.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  }
}, 60_000);
afterAll(() => desk?.close());

describe('the desk API as the server mounts it', () => {
  it('leaves POST /issues {from} to the API: next number and month, no stale dates, a ranking to write, nothing of 203 copied', async () => {
    const res = await call('POST', '/issues', 'w@desk.test', { from: 203 });
    expect(res.status).toBe(201);
    expect(await res.json()).toEqual({ number: 204, revision: 1 });
    const { issue } = await (await call('GET', '/issues/204/revisions/1', 'w@desk.test')).json();
    // 203 has no clicks to rank, so the ranking starts as an item to write by hand, not as `from: 203`.
    expect(issue).toMatchObject({
      number: 204,
      month: '2022-02',
      ranking: { items: [{ title: '[[TODO]] ranking item' }] },
    });
    expect(issue.ranking.from).toBeUndefined();
    expect(JSON.stringify(issue)).not.toContain('"date"');
    // 203 never went out, so there is no archive page to link to.
    expect(JSON.stringify(issue.footer)).not.toContain('/archive/203');
    // The footer's previous-issue link moves on from 202 to 203, as `gazette new` does.
    expect(issue.footer.links.at(-1)).toMatchObject({
      label: '前号を読む',
      url: expect.stringMatching(/\/203\/$/),
    });
    // Nothing of 203's month is copied: its subject and articles are placeholders to write.
    expect(issue.subject).not.toContain('No.203');
    expect(issue.subject).toContain('[[TODO]]');
    expect(issue.lead.title).toContain('[[TODO]]');
    expect((await call('POST', '/issues', 'w@desk.test', { from: 203 })).status).toBe(409);
    expect((await call('POST', '/issues', 'w@desk.test', { from: 999 })).status).toBe(404);
    expect(nextMonth('2021-12')).toBe('2022-01');
  });

  it('answers 404 for a revision that does not exist', async () => {
    expect((await call('GET', '/issues/204/revisions/9', 'w@desk.test')).status).toBe(404);
  });

  it('refuses without a session, across origins, and the export to anyone but an admin', async () => {
    expect((await call('POST', '/issues', undefined, { from: 203 })).status).toBe(401);
    const cross = await fetch(`${desk.origin}/desk/api/issues`, {
      method: 'POST',
      headers: {
        origin: 'https://evil.example',
        cookie: cookies['w@desk.test'] ?? '',
        'content-type': 'application/json',
      },
      body: JSON.stringify({ from: 203 }),
    });
    expect(cross.status).toBe(403);
    expect((await call('GET', '/subscribers/export', 'w@desk.test')).status).toBe(403);
    const csv = await call('GET', '/subscribers/export', 'a@desk.test');
    expect(csv.status).toBe(200);
    const bytes = Buffer.from(await csv.arrayBuffer());
    // The BOM that spreadsheets need (Response.text() would hide it).
    expect(bytes.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    const text = bytes.toString('utf8');
    expect(text.slice(1).startsWith('email,')).toBe(true);
    expect(text.split('\r\n').filter(Boolean)).toHaveLength(4);
  });
});
