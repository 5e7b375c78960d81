import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { placeholderPaths } from '../../src/issue/drafts/placeholder.ts';
import { ACCOUNTS, startTestDesk, type TestDesk } from '../helpers/desk-server.ts';
import { issue201Json } from '../helpers/issues.ts';

let desk: TestDesk;
let dir: string;

beforeAll(async () => {
  // The server's folder of issue files: one good issue, one broken, and files that are not issues.
  dir = await mkdtemp(join(tmpdir(), 'gazette-issues-dir-'));
  await writeFile(join(dir, '201.json'), JSON.stringify(issue201Json(), null, 2));
  await writeFile(join(dir, '7.json'), '{"number": 7}');
  await writeFile(join(dir, 'notes.json'), '{}');
  await writeFile(join(dir, '201.json.bak'), '{}');
  await writeFile(join(dir, '8.json'), `{"pad": "${'x'.repeat(1024 * 1024)}"}`);
  desk = await startTestDesk('desk-first-issue', { ISSUES_DIR: dir });
});
afterAll(async () => {
  await desk?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('POST /issues/import', () => {
  it('stores the valid issue files of ISSUES_DIR, names each one left, and never overwrites', async () => {
    const writer = await desk.signIn(ACCOUNTS.writer);
    // The caller cannot choose what is read: a body naming another folder or file changes nothing.
    const first = await desk.call('POST', '/issues/import', {
      cookie: writer,
      body: { dir: '/etc', file: '../../../etc/passwd' },
    });
    expect(first.status).toBe(200);
    const answer = (await first.json()) as {
      imported: unknown[];
      skipped: { file: string; code: string; message: string }[];
    };
    expect(answer.imported).toEqual([{ file: '201.json', number: 201, locale: 'ja', revision: 1 }]);
    // notes.json, 201.json.bak and the 1 MB+ 8.json are not read at all; 7.json is named with its problem.
    expect(answer.skipped).toEqual([
      { file: '7.json', code: 'invalid', message: expect.stringMatching(/month/) },
    ]);
    expect(JSON.stringify(answer)).not.toContain(dir);
    expect(await desk.gazette.issues.get(201, 'ja')).toMatchObject({
      revision: 1,
      updatedBy: ACCOUNTS.writer,
    });
    expect((await desk.gazette.audit.since(0)).map((e) => [e.action, e.target])).toContainEqual([
      'issue.import',
      'issue:201@1',
    ]);

    // An editor saves revision 2; importing again leaves it as it is.
    const edited = { ...issue201Json(), subject: 'edited in the desk' };
    const saved = await desk.call('PUT', '/issues/201', {
      cookie: writer,
      body: edited,
      headers: { 'if-match': '1' },
    });
    expect(saved.status).toBe(200);
    const again = await desk.call('POST', '/issues/import', { cookie: writer });
    expect(((await again.json()) as { skipped: unknown[] }).skipped).toContainEqual({
      file: '201.json',
      code: 'exists',
      message: '',
    });
    const kept = await desk.gazette.issues.get(201, 'ja');
    expect([kept?.revision, (kept?.json as { subject?: string } | undefined)?.subject]).toEqual([
      2,
      'edited in the desk',
    ]);
  });

  it('needs a signed-in caller, and the desk’s own origin for a cookie', async () => {
    expect((await desk.call('POST', '/issues/import')).status).toBe(401);
    const writer = await desk.signIn(ACCOUNTS.writer);
    const cross = await desk.call('POST', '/issues/import', {
      cookie: writer,
      origin: 'https://evil.example',
    });
    expect(cross.status).toBe(403);
  });

  it('is in the OpenAPI document with its roles', async () => {
    const writer = await desk.signIn(ACCOUNTS.writer);
    const doc = (await (await desk.call('GET', '/openapi.json', { cookie: writer })).json()) as {
      paths: Record<string, Record<string, { description?: string }>>;
    };
    expect(doc.paths['/issues/import']?.post?.description).toMatch(/^Roles: writer, editor, sender, admin\./);
  });
});

describe('POST /issues {blank}', () => {
  it('starts a first issue from the clean template in the desk’s language, held back by its placeholders', async () => {
    const writer = await desk.signIn(ACCOUNTS.writer);
    const made = await desk.call('POST', '/issues', { cookie: writer, body: { blank: true } });
    expect([made.status, await made.json()]).toEqual([201, { number: 1, revision: 1 }]);
    const got = (await (await desk.call('GET', '/issues/1', { cookie: writer })).json()) as {
      issue: { locale: string; month: string; subject: string; sections: { title: string }[] };
      state: string;
      checks: { id: string; level: string; path?: string }[];
    };
    expect(got.state).toBe('draft');
    expect(got.issue.locale).toBe('ja');
    expect(got.issue.subject).toBe('[[TODO]] 件名');
    expect(got.issue.sections.map((s) => s.title)).toEqual(['ニュース']);
    expect(got.issue.month).toMatch(/^\d{4}-\d{2}$/);
    // Each placeholder is an error at its own field, so it cannot be approved before all are written.
    const placeholders = got.checks.filter((k) => k.level === 'error' && k.id.startsWith('placeholder:'));
    expect(placeholders.map((k) => k.path).sort()).toEqual(placeholderPaths(got.issue).sort());
    const editor = await desk.signIn(ACCOUNTS.editor);
    await desk.call('POST', '/issues/1/review', { cookie: writer });
    expect((await desk.call('POST', '/issues/1/approve', { cookie: editor })).status).toBe(409);

    expect((await desk.call('POST', '/issues', { cookie: writer, body: { blank: true } })).status).toBe(409);
    const five = await desk.call('POST', '/issues', { cookie: writer, body: { blank: true, number: 5 } });
    expect(await five.json()).toEqual({ number: 5, revision: 1 });
  });
});
