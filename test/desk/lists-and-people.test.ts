import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleCompiled } from '../helpers/compiled.ts';
import { ACCOUNTS, startTestDesk, type TestDesk } from '../helpers/desk-server.ts';
import { sendRecordFixture } from '../helpers/send-env.ts';

let desk: TestDesk;
let admin: string;
let sender: string;

beforeAll(async () => {
  desk = await startTestDesk('desk-people');
  admin = await desk.signIn(ACCOUNTS.admin);
  sender = await desk.signIn(ACCOUNTS.sender);
});

afterAll(async () => {
  await desk?.close();
});

type Lists = { lists: { name: string; members: number; active: number }[] };

async function lists(cookie = admin) {
  const res = await desk.call('GET', '/lists', { cookie });
  expect(res.status).toBe(200);
  return ((await res.json()) as Lists).lists;
}

async function history(email: string) {
  const res = await desk.call('GET', `/subscribers/${encodeURIComponent(email)}`, { cookie: admin });
  expect(res.status).toBe(200);
  // biome-ignore lint/suspicious/noExplicitAny: the history is a loose object
  return (await res.json()) as any;
}

async function audited(action: string) {
  const res = await desk.call('GET', '/audit', { cookie: admin });
  const { events } = (await res.json()) as { events: { action: string; target: string; user: string }[] };
  return events.filter((e) => e.action === action);
}

describe('lists in the desk', () => {
  it('an admin adds an empty list; it shows with 0 members and 0 active; a second time is 409', async () => {
    const made = await desk.call('POST', '/lists', { cookie: admin, body: { name: ' Readers-2026 ' } });
    expect(made.status).toBe(201);
    expect(await made.json()).toEqual({ name: 'readers-2026' });
    expect(await lists(sender)).toContainEqual({ name: 'readers-2026', members: 0, active: 0 });
    const again = await desk.call('POST', '/lists', { cookie: admin, body: { name: 'readers-2026' } });
    expect(again.status).toBe(409);
    expect((await again.json()) as { error: string }).toEqual({
      error: 'There is already a list called readers-2026.',
    });
    expect(await audited('lists.create')).toHaveLength(1);
  });

  it('refuses a bad list name with 422 naming the field, and a sender with 403', async () => {
    const bad = await desk.call('POST', '/lists', { cookie: admin, body: { name: 'no spaces/or slashes' } });
    expect(bad.status).toBe(422);
    const { errors } = (await bad.json()) as { errors: { path: string; message: string }[] };
    expect(errors[0]?.path).toBe('name');
    expect(errors[0]?.message).toContain('is not a valid list name');
    const refused = await desk.call('POST', '/lists', { cookie: sender, body: { name: 'senders-list' } });
    expect(refused.status).toBe(403);
    expect((await lists()).map((l) => l.name)).not.toContain('senders-list');
  });
});

describe('one person in the desk', () => {
  it('add, edit, unsubscribe with a reason: the active count follows and the reason is on record', async () => {
    const add = await desk.call('POST', '/subscribers', {
      cookie: admin,
      body: { email: 'mina@Example.ORG', name: '  Kim   Mina ', locale: 'ko', lists: ['club'] },
    });
    expect(add.status).toBe(200);
    expect(await add.json()).toEqual({ email: 'mina@example.org', outcome: 'added' });
    expect(await lists()).toContainEqual({ name: 'club', members: 1, active: 1 });
    const added = await history('mina@example.org');
    expect(added.subscriber).toMatchObject({ name: 'Kim Mina', locale: 'ko', status: 'active' });
    expect(added.subscriber.consent.by).toBe(`desk:${ACCOUNTS.admin}`);
    expect(added.lists).toEqual(['club']);

    const edit = await desk.call('PATCH', '/subscribers/mina@example.org', {
      cookie: admin,
      body: { name: '김민아', locale: 'en', lists: ['readers-2026', 'staff'] },
    });
    expect(edit.status).toBe(204);
    const edited = await history('mina@example.org');
    expect(edited.subscriber).toMatchObject({ name: '김민아', locale: 'en', status: 'active' });
    expect(edited.lists).toEqual(['readers-2026', 'staff']);
    expect(await lists()).toContainEqual({ name: 'club', members: 0, active: 0 });

    const out = await desk.call('POST', '/subscribers/mina@example.org/unsubscribe', {
      cookie: admin,
      body: { reason: 'Asked by phone to stop the mail' },
    });
    expect(out.status).toBe(200);
    expect(await out.json()).toEqual({ outcome: 'changed' });
    const left = await history('mina@example.org');
    expect(left.subscriber.status).toBe('unsubscribed');
    expect(left.subscriber.left).toMatchObject({
      via: 'desk',
      by: `desk:${ACCOUNTS.admin}`,
      reason: 'Asked by phone to stop the mail',
    });
    expect(left.suppression?.reason).toBe('unsubscribed');
    // Still a member of its lists, no longer an active one: no mail goes to them.
    expect(await lists()).toContainEqual({ name: 'staff', members: 1, active: 0 });

    const back = await desk.call('POST', '/subscribers', {
      cookie: admin,
      body: { email: 'mina@example.org', lists: ['staff'] },
    });
    expect(back.status).toBe(409);
    expect((await history('mina@example.org')).subscriber.status).toBe('unsubscribed');
    const again = await desk.call('POST', '/subscribers/mina@example.org/unsubscribe', {
      cookie: admin,
      body: { reason: 'twice' },
    });
    expect(await again.json()).toEqual({ outcome: 'already' });

    for (const action of ['subscribers.add', 'subscribers.edit', 'subscribers.unsubscribe']) {
      const [event] = await audited(action);
      expect(event, action).toMatchObject({ user: ACCOUNTS.admin });
      expect(event?.target).toContain('mina@example.org');
    }
  });

  it('422 for a bad address, locale, list, name or an empty reason; 404 for a stranger; nothing stored', async () => {
    const bad = async (method: string, path: string, body: unknown, where: string) => {
      const res = await desk.call(method, path, { cookie: admin, body });
      expect(res.status, JSON.stringify(body)).toBe(422);
      const { errors } = (await res.json()) as { errors: { path: string }[] };
      expect(errors.map((e) => e.path)).toContain(where);
    };
    await bad('POST', '/subscribers', { email: 'not-an-address', lists: ['club'] }, 'email');
    await bad('POST', '/subscribers', { email: 'x@example.org', lists: [] }, 'lists');
    await bad('POST', '/subscribers', { email: 'x@example.org', locale: 'fr', lists: ['club'] }, 'locale');
    await bad('POST', '/subscribers', { email: 'x@example.org', lists: ['../etc'] }, 'lists[0]');
    await bad(
      'POST',
      '/subscribers',
      { email: 'x@example.org', name: 'n'.repeat(300), lists: ['a'] },
      'name',
    );
    await bad('PATCH', '/subscribers/x@example.org', { locale: 'xx' }, 'locale');
    await bad('POST', '/subscribers/x@example.org/unsubscribe', { reason: '   ' }, 'reason');
    expect((await desk.call('GET', '/subscribers/x@example.org', { cookie: admin })).status).toBe(404);
    const stranger = await desk.call('PATCH', '/subscribers/nobody@example.org', {
      cookie: admin,
      body: { name: 'Nobody' },
    });
    expect(stranger.status).toBe(404);
    const gone = await desk.call('POST', '/subscribers/nobody@example.org/unsubscribe', {
      cookie: admin,
      body: { reason: 'no one' },
    });
    expect(gone.status).toBe(404);
  });

  it('a sender may not add, edit or unsubscribe anyone (403, nothing changes)', async () => {
    await desk.call('POST', '/subscribers', {
      cookie: admin,
      body: { email: 'jun@example.org', lists: ['club'] },
    });
    const tries = [
      desk.call('POST', '/subscribers', {
        cookie: sender,
        body: { email: 'eve@example.org', lists: ['club'] },
      }),
      desk.call('PATCH', '/subscribers/jun@example.org', { cookie: sender, body: { name: 'Eve' } }),
      desk.call('POST', '/subscribers/jun@example.org/unsubscribe', {
        cookie: sender,
        body: { reason: 'x' },
      }),
    ];
    for (const res of await Promise.all(tries)) expect(res.status).toBe(403);
    const jun = await history('jun@example.org');
    expect(jun.subscriber).toMatchObject({ name: '', status: 'active' });
    expect((await desk.call('GET', '/subscribers/eve@example.org', { cookie: admin })).status).toBe(404);
  });
});

describe('renaming a list in the desk (issue 18)', () => {
  it('moves the members to the new name, refuses a name that exists, and is audited', async () => {
    const made = await desk.call('POST', '/subscribers', {
      cookie: admin,
      body: { email: 'sora@example.org', name: 'Sora', locale: 'ja', lists: ['old-name'] },
    });
    expect(made.status).toBe(200);
    await desk.call('POST', '/lists', { cookie: admin, body: { name: 'taken' } });
    const rename = (from: string, name: string, cookie = admin) =>
      desk.call('PATCH', `/lists/${from}`, { cookie, body: { name } });
    expect((await rename('old-name', 'taken')).status).toBe(409);
    expect((await rename('old-name', 'new-name', sender)).status).toBe(403);
    expect((await rename('no-such-list', 'new-name')).status).toBe(404);
    const bad = await rename('old-name', 'no spaces');
    expect(bad.status).toBe(422);
    expect(((await bad.json()) as { errors: { path: string }[] }).errors[0]?.path).toBe('name');
    const done = await rename('old-name', ' New-Name ');
    expect([done.status, await done.json()]).toEqual([200, { name: 'new-name' }]);
    const names = await lists();
    expect(names).toContainEqual({ name: 'new-name', members: 1, active: 1 });
    expect(names.map((l) => l.name)).not.toContain('old-name');
    expect((await history('sora@example.org')).lists).toEqual(['new-name']);
    expect(await audited('lists.rename')).toEqual([
      expect.objectContaining({ target: 'list:old-name to:new-name', user: ACCOUNTS.admin }),
    ]);
  });

  it('refuses while a send to the list is not finished, as its batches read the list by name', async () => {
    await desk.call('POST', '/lists', { cookie: admin, body: { name: 'busy' } });
    await desk.gazette.sends.create(
      sendRecordFixture({ id: 'srenamebusy', list: 'busy', state: 'scheduled' }),
      sampleCompiled(),
    );
    const res = await desk.call('PATCH', '/lists/busy', { cookie: admin, body: { name: 'calm' } });
    expect(res.status).toBe(409);
    expect((await lists()).map((l) => l.name)).toContain('busy');
  });
});
