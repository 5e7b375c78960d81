import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWorkers } from '../../workers/index.ts';
import { ACCOUNTS, localLinks, startTestDesk, type TestDesk } from '../helpers/desk-server.ts';
import { issue201Json } from '../helpers/issues.ts';
import { addReaders, waitFor } from '../helpers/send-env.ts';
import type { SunkMessage } from '../helpers/smtp-sink.ts';

let desk: TestDesk;
let workers: Awaited<ReturnType<typeof startWorkers>>;
const cookies: Record<string, string> = {};

beforeAll(async () => {
  desk = await startTestDesk('desk-flow');
  for (const [role, email] of Object.entries(ACCOUNTS)) cookies[role] = await desk.signIn(email);
  await addReaders(desk.gazette.subscribers, 'members', 30);
  workers = await startWorkers(desk.gazette.config, () => undefined);
});

afterAll(async () => {
  await workers?.close();
  await desk?.close();
});

/** The messages to readers (the desk's own notices to its users left out). */
function readerMails(messages: SunkMessage[]): SunkMessage[] {
  return messages.filter((m) => m.to.every((to) => !to.endsWith('@desk.test')));
}

/** Every recipient of the desk's notices so far. */
function deskMails(): string[] {
  return desk.sink.messages.flatMap((m) => m.to).filter((to) => to.endsWith('@desk.test'));
}

function issue204() {
  const json = localLinks(issue201Json(), desk.links);
  json.number = 204;
  json.subject = 'No.204 draft';
  return json;
}

describe('issue 204 from draft to delivered through the API alone', () => {
  it('each role does its step, the send completes, the report answers and the audit names everyone', async () => {
    const { call } = desk;
    const created = await call('POST', '/issues', { cookie: cookies.writer, body: { issue: issue204() } });
    expect(created.status).toBe(201);
    expect(await created.json()).toEqual({ number: 204, revision: 1 });

    const got = await call('GET', '/issues/204', { cookie: cookies.writer });
    const body = (await got.json()) as { revision: number; state: string; issue: { subject: string } };
    expect(body).toMatchObject({ revision: 1, state: 'draft' });

    const edited = { ...issue204(), subject: 'No.204: spring in Seoul' };
    const saved = await call('PUT', '/issues/204', {
      cookie: cookies.writer,
      body: edited,
      headers: { 'if-match': '1' },
    });
    expect(saved.status).toBe(200);
    expect(await saved.json()).toEqual({ revision: 2, state: 'draft' });

    expect((await call('POST', '/issues/204/review', { cookie: cookies.writer })).status).toBe(200);
    // Neither the writer nor the sender may approve.
    expect((await call('POST', '/issues/204/approve', { cookie: cookies.writer })).status).toBe(403);
    expect((await call('POST', '/issues/204/approve', { cookie: cookies.sender })).status).toBe(403);
    // Not approved yet: no send.
    const early = await call('POST', '/sends', {
      cookie: cookies.sender,
      body: { issue: 204, list: 'members' },
    });
    expect(early.status).toBe(409);
    expect(((await early.json()) as { error: string }).error).toMatch(/in_review/);

    const approved = await call('POST', '/issues/204/approve', { cookie: cookies.editor });
    expect(approved.status).toBe(200);
    expect(await approved.json()).toEqual({ state: 'approved' });
    // The editor may not schedule.
    expect(
      (await call('POST', '/sends', { cookie: cookies.editor, body: { issue: 204, list: 'members' } }))
        .status,
    ).toBe(403);

    const scheduled = await call('POST', '/sends', {
      cookie: cookies.sender,
      body: { issue: 204, list: 'members' },
    });
    expect(scheduled.status).toBe(201);
    const { id, recipients } = (await scheduled.json()) as { id: string; recipients: number };
    expect(recipients).toBe(30);

    await waitFor(
      async () => {
        const s = (await (await call('GET', `/sends/${id}`, { cookie: cookies.writer })).json()) as {
          state: string;
        };
        return s.state === 'done';
      },
      60_000,
      'the send to finish',
    );
    const readers = readerMails(desk.sink.messages);
    expect(readers).toHaveLength(30);
    expect(readers[0]?.raw.toString()).toContain('No.204: spring in Seoul');
    // And the desk's notices (issue 18): review requested (editor), approved (sender), the send
    // finished (writer, editor and sender, who each worked on it).
    await waitFor(() => deskMails().length === 5, 10_000, 'the desk notices');
    expect(deskMails().sort()).toEqual(
      [ACCOUNTS.editor, ACCOUNTS.sender, ACCOUNTS.writer, ACCOUNTS.editor, ACCOUNTS.sender].sort(),
    );

    const status = (await (await call('GET', `/sends/${id}`, { cookie: cookies.writer })).json()) as Record<
      string,
      number
    >;
    expect(status).toMatchObject({ id, state: 'done', total: 30, delivered: 30, failed: 0 });
    const report = (await (
      await call('GET', `/sends/${id}/report`, { cookie: cookies.editor })
    ).json()) as Record<string, unknown>;
    expect(report).toMatchObject({ id, issue: 204, delivered: 30 });

    const list = (await (await call('GET', '/issues', { cookie: cookies.writer })).json()) as {
      issues: { number: number; state: string; updatedBy: string; updatedByName: string }[];
    };
    // The last saver by the name the desk shows, not their address.
    const writer = await desk.gazette.users.get(ACCOUNTS.writer);
    expect(list.issues.find((i) => i.number === 204)).toMatchObject({
      state: 'sent',
      updatedBy: ACCOUNTS.writer,
      updatedByName: writer?.name,
    });
    expect(writer?.name).toBeTruthy();

    const audit = (await (await call('GET', '/audit', { cookie: cookies.admin })).json()) as {
      events: { user: string; action: string; target: string }[];
    };
    const steps = audit.events.filter((e) => e.action !== 'session.sign-in').map((e) => [e.user, e.action]);
    expect(steps).toEqual([
      [ACCOUNTS.writer, 'issue.create'],
      [ACCOUNTS.writer, 'issue.save'],
      [ACCOUNTS.writer, 'issue.review'],
      [ACCOUNTS.editor, 'issue.approve'],
      [ACCOUNTS.sender, 'send.schedule'],
    ]);
    expect(audit.events.find((e) => e.action === 'send.schedule')?.target).toContain(id);
  });

  it('refuses to send the same issue to the same list twice unless resend is set', async () => {
    const again = await desk.call('POST', '/sends', {
      cookie: cookies.sender,
      body: { issue: 204, list: 'members' },
    });
    expect(again.status).toBe(409);
    const body = (await again.json()) as { error: string; previous: string };
    expect(body.previous).toMatch(/^s[a-z0-9]+$/);
    expect(body.error).toContain(body.previous);
    const sends = (await (await desk.call('GET', '/sends', { cookie: cookies.sender })).json()) as {
      sends: unknown[];
    };
    expect(sends.sends).toHaveLength(1);
  });

  it('sends it again on purpose with resend: true', async () => {
    const again = await desk.call('POST', '/sends', {
      cookie: cookies.sender,
      body: { issue: 204, list: 'members', resend: true },
    });
    const answer = (await again.json()) as { id: string };
    expect(again.status, JSON.stringify(answer)).toBe(201);
    const { id } = answer;
    expect((await desk.call('POST', `/sends/${id}/cancel`, { cookie: cookies.sender })).status).toBe(200);
    const audit = (await (await desk.call('GET', '/audit', { cookie: cookies.admin })).json()) as {
      events: { user: string; action: string; target: string }[];
    };
    expect(audit.events.at(-1)).toMatchObject({
      user: ACCOUNTS.sender,
      action: 'send.cancel',
      target: `send:${id}`,
    });
  });

  it('lists sends by issue, list, time and state, tests apart; a scheduled send moves until it starts', async () => {
    const { call } = desk;
    const test = await call('POST', '/sends', {
      cookie: cookies.sender,
      body: { issue: 204, test: ['editor@example.org'] },
    });
    expect(test.status).toBe(201);
    const inAnHour = new Date(Date.now() + 3600_000).toISOString();
    const scheduled = await call('POST', '/sends', {
      cookie: cookies.sender,
      body: { issue: 204, list: 'members', resend: true, at: inAnHour },
    });
    const { id } = (await scheduled.json()) as { id: string };

    type Summary = {
      id: string;
      issue: number;
      subject: string;
      list: string;
      at: string;
      state: string;
      test: boolean;
    };
    const listed = async (query = '') =>
      (
        (await (await call('GET', `/sends${query}`, { cookie: cookies.writer })).json()) as {
          sends: Summary[];
        }
      ).sends;
    const all = await listed();
    expect(all.find((s) => s.id === id)).toMatchObject({
      issue: 204,
      subject: 'No.204: spring in Seoul',
      list: 'members',
      state: 'scheduled',
      test: false,
    });
    expect(Date.parse(all.find((s) => s.id === id)?.at ?? '')).toBe(Date.parse(inAnHour));
    expect(all.filter((s) => s.test)).toMatchObject([{ issue: 204, list: '', test: true }]);
    expect((await listed('?state=scheduled')).map((s) => s.id)).toEqual([id]);
    expect(await listed('?issue=999')).toEqual([]);

    // Moved to two hours ahead, then to a time in the past (refused), then to now: it runs.
    const inTwoHours = new Date(Date.now() + 7200_000).toISOString();
    const moved = await call('POST', `/sends/${id}/reschedule`, {
      cookie: cookies.sender,
      body: { at: inTwoHours },
    });
    expect(moved.status).toBe(200);
    expect(
      (await call('GET', `/sends/${id}`, { cookie: cookies.writer }).then((r) => r.json())) as Summary,
    ).toMatchObject({
      at: ((await moved.json()) as { at: string }).at,
      state: 'scheduled',
    });
    const past = await call('POST', `/sends/${id}/reschedule`, {
      cookie: cookies.sender,
      body: { at: '2020-01-01T09:00' },
    });
    expect(past.status).toBe(422);
    expect(((await past.json()) as { errors: { path: string }[] }).errors[0]?.path).toBe('at');
    expect(
      (await call('POST', `/sends/${id}/reschedule`, { cookie: cookies.writer, body: { at: inTwoHours } }))
        .status,
    ).toBe(403);
    const before = desk.sink.messages.length;
    const now = await call('POST', `/sends/${id}/reschedule`, {
      cookie: cookies.sender,
      body: { at: new Date(Date.now() + 500).toISOString() },
    });
    expect(now.status).toBe(200);
    await waitFor(
      async () => (await listed(`?issue=204&state=done`)).some((s) => s.id === id),
      60_000,
      'the moved send to run',
    );
    expect(readerMails(desk.sink.messages.slice(before))).toHaveLength(30);
    const late = await call('POST', `/sends/${id}/reschedule`, {
      cookie: cookies.sender,
      body: { at: inTwoHours },
    });
    expect(late.status).toBe(409);
  });
});
