import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_COMMENT, MAX_EVENTS } from '../../src/issue/issue-events.ts';
import { startWorkers } from '../../workers/index.ts';
import { ACCOUNTS, localLinks, startTestDesk, type TestDesk } from '../helpers/desk-server.ts';
import { issue201Json } from '../helpers/issues.ts';
import { addReaders, waitFor } from '../helpers/send-env.ts';
import type { SunkMessage } from '../helpers/smtp-sink.ts';

let desk: TestDesk;
const cookies: Record<string, string> = {};
/** A second editor and a second sender, so that an opt-out is seen against someone who stayed in. */
const EDITOR2 = 'editor2@desk.test';
const SENDER2 = 'sender2@desk.test';

beforeAll(async () => {
  desk = await startTestDesk('desk-review-talk');
  await desk.gazette.users.add({
    email: EDITOR2,
    name: 'Second editor',
    roles: ['editor'],
    password: 'another long password',
  });
  await desk.gazette.users.add({
    email: SENDER2,
    name: 'Second sender',
    roles: ['sender'],
    password: 'another long password',
  });
  for (const [role, email] of Object.entries(ACCOUNTS)) cookies[role] = await desk.signIn(email);
  cookies.editor2 = await desk.signIn(EDITOR2, 'another long password');
  cookies.sender2 = await desk.signIn(SENDER2, 'another long password');
});

afterAll(async () => {
  await desk?.close();
});

function issue(n: number, subject: string) {
  const json = localLinks(issue201Json(), desk.links);
  json.number = n;
  json.subject = subject;
  return json;
}

/** The mails the sink got to `to` after `from` (an index into the sink's messages). */
function mailsTo(to: string, from = 0): SunkMessage[] {
  return desk.sink.messages.slice(from).filter((m) => m.to.includes(to));
}

describe('review as a conversation (issue 18)', () => {
  it('review → editors mailed; changes requested → writer reads the comment; approve → senders mailed; opt-outs hold', async () => {
    const { call } = desk;
    expect(
      (
        await call('POST', '/issues', {
          cookie: cookies.writer,
          body: { issue: issue(301, 'No.301 <b>spring</b>') },
        })
      ).status,
    ).toBe(201);

    // The second editor turns review requests off; the second sender keeps approvals on.
    const off = await call('PUT', '/me/notifications', {
      cookie: cookies.editor2,
      body: { reviewRequested: false, changesRequested: true, approved: true, sendFinished: true },
    });
    expect(off.status).toBe(200);
    const mine = await call('GET', '/me/notifications', { cookie: cookies.editor2 });
    expect(await mine.json()).toEqual({
      reviewRequested: false,
      changesRequested: true,
      approved: true,
      sendFinished: true,
    });

    const mark = desk.sink.messages.length;
    expect((await call('POST', '/issues/301/review', { cookie: cookies.writer })).status).toBe(200);
    await waitFor(() => mailsTo(ACCOUNTS.editor, mark).length === 1, 10_000, 'the review mail to the editor');
    const [reviewMail] = mailsTo(ACCOUNTS.editor, mark);
    const parsed = await simpleParser(reviewMail?.raw ?? Buffer.alloc(0));
    expect(parsed.subject).toContain('301');
    // The writer's display name and the issue's subject, escaped in the HTML.
    expect(parsed.text).toContain('The writer');
    expect(parsed.html).toContain('No.301 &lt;b&gt;spring&lt;/b&gt;');
    expect(parsed.html).toContain(`${desk.origin}/desk/issues/301`);
    // Asking again while in review mails nobody again (a writer cannot make the desk mail editors in a loop).
    expect((await call('POST', '/issues/301/review', { cookie: cookies.writer })).status).toBe(200);
    await new Promise((r) => setTimeout(r, 300));
    expect(mailsTo(ACCOUNTS.editor, mark)).toHaveLength(1);
    // Nobody else: not the editor who opted out, not the writer, not the senders.
    expect(mailsTo(EDITOR2, mark)).toEqual([]);
    expect(desk.sink.messages.slice(mark).flatMap((m) => m.to)).toEqual([ACCOUNTS.editor]);

    // A writer may not send it back; an editor does, with a comment.
    const refused = await call('POST', '/issues/301/request-changes', {
      cookie: cookies.writer,
      body: { comment: 'no' },
    });
    expect(refused.status).toBe(403);
    const comment = 'Section 2: the headline <script>alert(1)</script> is too long.';
    const back = await call('POST', '/issues/301/request-changes', {
      cookie: cookies.editor,
      body: { comment },
    });
    expect(back.status).toBe(200);
    expect(await back.json()).toEqual({ state: 'draft' });
    // The writer who asked for the review is told, with the comment (escaped in the HTML); nobody else.
    await waitFor(
      () => mailsTo(ACCOUNTS.writer, mark).length === 1,
      10_000,
      'the changes mail to the writer',
    );
    const changesMail = await simpleParser(mailsTo(ACCOUNTS.writer, mark)[0]?.raw ?? Buffer.alloc(0));
    expect(changesMail.subject).toBe('第301号に修正の依頼があります');
    expect(changesMail.text).toContain('The editorさんが第301号「No.301 <b>spring</b>」の修正を依頼しました');
    expect(changesMail.text).toContain(comment);
    expect(changesMail.html).toContain('the headline &lt;script&gt;alert(1)&lt;/script&gt; is too long.');
    expect(desk.sink.messages.slice(mark).flatMap((m) => m.to)).toEqual([ACCOUNTS.editor, ACCOUNTS.writer]);

    const got = (await (await call('GET', '/issues/301', { cookie: cookies.writer })).json()) as {
      state: string;
      revision: number;
    };
    expect(got.state).toBe('draft');
    const talk = (await (await call('GET', '/issues/301/comments', { cookie: cookies.writer })).json()) as {
      comments: { by: string; name: string; text: string; kind: string }[];
    };
    expect(talk.comments).toEqual([
      expect.objectContaining({ by: ACCOUNTS.editor, name: 'The editor', text: comment, kind: 'changes' }),
    ]);
    // Not in review any more: a second request is refused.
    expect(
      (await call('POST', '/issues/301/request-changes', { cookie: cookies.editor, body: { comment } }))
        .status,
    ).toBe(409);

    // The writer answers and fixes it.
    const reply = await call('POST', '/issues/301/comments', {
      cookie: cookies.writer,
      body: { comment: 'Shortened.' },
    });
    expect(reply.status).toBe(201);
    const fixed = await call('PUT', '/issues/301', {
      cookie: cookies.writer,
      body: issue(301, 'No.301 spring'),
      headers: { 'if-match': String(got.revision) },
    });
    expect(fixed.status).toBe(200);

    // Second sender turns approvals off; review again, approve: only the first sender is mailed.
    await call('PUT', '/me/notifications', {
      cookie: cookies.sender2,
      body: { reviewRequested: true, changesRequested: true, approved: false, sendFinished: true },
    });
    expect((await call('POST', '/issues/301/review', { cookie: cookies.writer })).status).toBe(200);
    const beforeApproval = desk.sink.messages.length;
    const approved = await call('POST', '/issues/301/approve', { cookie: cookies.editor });
    expect(approved.status).toBe(200);
    await waitFor(() => mailsTo(ACCOUNTS.sender, beforeApproval).length === 1, 10_000, 'the approval mail');
    const approval = await simpleParser(mailsTo(ACCOUNTS.sender, beforeApproval)[0]?.raw ?? Buffer.alloc(0));
    expect(approval.text).toContain('The editor');
    expect(mailsTo(SENDER2)).toEqual([]);

    // The history names everyone by display name, in order.
    const history = (await (
      await call('GET', '/issues/301/timeline', { cookie: cookies.sender })
    ).json()) as {
      timeline: { kind: string; name: string; text?: string }[];
    };
    expect(history.timeline.map((e) => `${e.kind}:${e.name}`)).toEqual([
      'save:The writer',
      'review:The writer',
      'changes:The editor',
      'comment:The writer',
      'save:The writer',
      'review:The writer',
      'approve:The editor',
    ]);
    expect(history.timeline[2]?.text).toBe(comment);
  });

  it('refuses an empty comment, one over the limit, and a comment on a missing issue', async () => {
    const { call } = desk;
    await call('POST', '/issues', { cookie: cookies.writer, body: { issue: issue(302, 'No.302') } });
    const empty = await call('POST', '/issues/302/comments', {
      cookie: cookies.writer,
      body: { comment: '   ' },
    });
    expect(empty.status).toBe(422);
    const long = await call('POST', '/issues/302/comments', {
      cookie: cookies.writer,
      body: { comment: 'x'.repeat(MAX_COMMENT + 1) },
    });
    expect(long.status).toBe(422);
    const none = await call('POST', '/issues/999/comments', {
      cookie: cookies.writer,
      body: { comment: 'hi' },
    });
    expect(none.status).toBe(404);
    const listed = (await (await call('GET', '/issues/302/comments', { cookie: cookies.writer })).json()) as {
      comments: unknown[];
    };
    expect(listed.comments).toEqual([]);
  });

  it('a flood of long comments keeps the newest MAX_EVENTS, each shown as its text', async () => {
    const { call } = desk;
    await call('POST', '/issues', { cookie: cookies.writer, body: { issue: issue(304, 'No.304') } });
    const long = 'あ'.repeat(MAX_COMMENT);
    const started = Date.now();
    const statuses: number[] = [];
    for (let i = 0; i < MAX_EVENTS + 20; i += 10) {
      const batch = Array.from({ length: 10 }, (_, k) =>
        call('POST', '/issues/304/comments', {
          cookie: cookies.writer,
          body: { comment: `${i + k} ${long}`.slice(0, MAX_COMMENT) },
        }).then((r) => r.status),
      );
      statuses.push(...(await Promise.all(batch)));
    }
    const seconds = (Date.now() - started) / 1000;
    expect(statuses.every((st) => st === 201)).toBe(true);
    const listed = (await (await call('GET', '/issues/304/comments', { cookie: cookies.editor })).json()) as {
      comments: { text: string }[];
    };
    expect(listed.comments).toHaveLength(MAX_EVENTS);
    expect(listed.comments[0]?.text.startsWith('20 ')).toBe(true);
    const bytes = await desk.t.redis.memory('USAGE', `${desk.t.prefix}:issue:304:ja:events`);
    console.log(
      JSON.stringify({ comments: statuses.length, kept: listed.comments.length, seconds, keyBytes: bytes }),
    );
    // About 12 MB: MAX_EVENTS comments of MAX_COMMENT three-byte characters, their JSON and Redis's list nodes.
    expect(Number(bytes)).toBeLessThan(MAX_EVENTS * (MAX_COMMENT * 3 + 1000));
  });

  it('a writer who turned change requests off is not mailed about them', async () => {
    const { call } = desk;
    await call('POST', '/issues', { cookie: cookies.writer, body: { issue: issue(304, 'No.304') } });
    const off = await call('PUT', '/me/notifications', {
      cookie: cookies.writer,
      body: { reviewRequested: true, changesRequested: false, approved: true, sendFinished: true },
    });
    expect(off.status).toBe(200);
    try {
      await call('POST', '/issues/304/review', { cookie: cookies.writer });
      const mark = desk.sink.messages.length;
      const back = await call('POST', '/issues/304/request-changes', {
        cookie: cookies.editor,
        body: { comment: 'Please fix the lead.' },
      });
      expect(back.status).toBe(200);
      // Another notice of the same moment still goes: the review request asked again reaches the editor.
      await call('POST', '/issues/304/review', { cookie: cookies.writer });
      await waitFor(() => mailsTo(ACCOUNTS.editor, mark).length === 1, 10_000, 'the second review mail');
      await new Promise((r) => setTimeout(r, 300));
      expect(mailsTo(ACCOUNTS.writer, mark)).toEqual([]);
    } finally {
      await call('PUT', '/me/notifications', {
        cookie: cookies.writer,
        body: { reviewRequested: true, changesRequested: true, approved: true, sendFinished: true },
      });
    }
  });

  it('an API token has no notification settings', async () => {
    const { token } = await desk.gazette.tokens.create({ name: 'cms', roles: ['writer'], by: 'test' });
    const res = await desk.call('PUT', '/me/notifications', {
      token,
      body: { reviewRequested: false, changesRequested: true, approved: false, sendFinished: false },
    });
    expect(res.status).toBe(404);
  });
});

describe('a finished send is told to everyone who worked on the issue (issue 18)', () => {
  it('mails the figures to who saved, reviewed, approved and scheduled it, except who turned it off', async () => {
    const { call } = desk;
    await addReaders(desk.gazette.subscribers, 'talk', 4);
    const workers = await startWorkers(desk.gazette.config, () => undefined);
    try {
      await call('POST', '/issues', { cookie: cookies.writer, body: { issue: issue(303, 'No.303 summer') } });
      await call('POST', '/issues/303/review', { cookie: cookies.writer });
      const beforeApproval = desk.sink.messages.length;
      expect((await call('POST', '/issues/303/approve', { cookie: cookies.editor2 })).status).toBe(200);
      // The approval's own mail to the sender goes out on its own time; wait for it before counting.
      await waitFor(() => mailsTo(ACCOUNTS.sender, beforeApproval).length === 1, 10_000, 'the approval mail');
      // The first editor worked on it too (a comment does not count; a change request would); the second opts out.
      await call('PUT', '/me/notifications', {
        cookie: cookies.editor2,
        body: { reviewRequested: false, changesRequested: true, approved: true, sendFinished: false },
      });
      const mark = desk.sink.messages.length;
      const scheduled = await call('POST', '/sends', {
        cookie: cookies.sender,
        body: { issue: 303, list: 'talk' },
      });
      expect(scheduled.status).toBe(201);
      await waitFor(() => mailsTo(ACCOUNTS.writer, mark).length === 1, 60_000, 'the finished-send mail');
      await waitFor(() => mailsTo(ACCOUNTS.sender, mark).length === 1, 10_000, 'the mail to the sender');
      const told = await simpleParser(mailsTo(ACCOUNTS.writer, mark)[0]?.raw ?? Buffer.alloc(0));
      expect(told.subject).toContain('303');
      // The words are DEFAULT_LOCALE's (ja in the tests): 4 delivered, 0 failed, 0 skipped.
      expect(told.text).toContain('配信済み 4件、失敗 0件、スキップ 0件');
      const deskMail = desk.sink.messages
        .slice(mark)
        .flatMap((m) => m.to)
        .filter((to) => to.endsWith('@desk.test'))
        .sort();
      // Not the second editor (opted out), not the first editor or admin (they did nothing to it).
      expect(deskMail).toEqual([ACCOUNTS.sender, ACCOUNTS.writer].sort());
      const history = (await (
        await call('GET', '/issues/303/timeline', { cookie: cookies.writer })
      ).json()) as {
        timeline: { kind: string; name: string }[];
      };
      expect(history.timeline.map((e) => `${e.kind}:${e.name}`)).toEqual([
        'save:The writer',
        'review:The writer',
        'approve:Second editor',
        'schedule:The sender',
        'sent:The sender',
      ]);
    } finally {
      await workers.close();
    }
  });
});
