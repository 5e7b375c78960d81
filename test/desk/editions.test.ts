import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACCOUNTS, localLinks, startTestDesk, type TestDesk } from '../helpers/desk-server.ts';
import { issue201Json } from '../helpers/issues.ts';
import { addReaders } from '../helpers/send-env.ts';

let desk: TestDesk;
const cookies: Record<string, string> = {};

beforeAll(async () => {
  desk = await startTestDesk('desk-editions');
  for (const [role, email] of Object.entries(ACCOUNTS)) cookies[role] = await desk.signIn(email);
  await addReaders(desk.gazette.subscribers, 'members', 5);
});

afterAll(async () => {
  await desk?.close();
});

/** No.205 in Japanese (the default edition), its links on the test link server. */
function issue205() {
  const json = localLinks(issue201Json(), desk.links);
  json.number = 205;
  return json;
}

/** No.205 in English: the same articles, every text written. */
function english() {
  const json = issue205();
  json.locale = 'en';
  json.subject = 'No.205: autumn in Seoul';
  json.lead.title = 'Seoul and Lima sign a friendship pact';
  return json;
}

// biome-ignore lint/suspicious/noExplicitAny: tests reach into the raw JSON
type Body = Record<string, any>;
const read = async (res: Response) => (await res.json()) as Body;

describe('editions through the desk API', () => {
  it('adds, reads, saves (If-Match), cross-checks ids, approves per edition and sends approved editions only', async () => {
    const { call } = desk;
    const writer = { cookie: cookies.writer };
    expect((await call('POST', '/issues', { ...writer, body: { issue: issue205() } })).status).toBe(201);

    const before = await read(await call('GET', '/issues/205', writer));
    expect(before.editions).toEqual([
      { locale: 'ja', state: 'draft', revision: 1 },
      { locale: 'en', state: 'missing', revision: null },
      { locale: 'ko', state: 'missing', revision: null },
      { locale: 'zh', state: 'missing', revision: null },
    ]);

    // PUT without If-Match creates a missing edition; once it exists If-Match is required.
    const created = await call('PUT', '/issues/205/editions/en', { ...writer, body: english() });
    expect(created.status).toBe(201);
    expect(await created.json()).toEqual({ revision: 1, state: 'draft' });
    expect((await call('PUT', '/issues/205/editions/en', { ...writer, body: english() })).status).toBe(428);
    const saved = await call('PUT', '/issues/205/editions/en', {
      ...writer,
      body: english(),
      headers: { 'if-match': '1' },
    });
    expect(saved.status).toBe(200);
    expect(await saved.json()).toEqual({ revision: 2, state: 'draft' });
    const stale = await call('PUT', '/issues/205/editions/en', {
      ...writer,
      body: english(),
      headers: { 'if-match': '1' },
    });
    expect(stale.status).toBe(409);
    expect((await read(stale)).revision).toBe(2);

    // An article id the default edition lacks is refused with its path; the wrong locale too.
    const invented = english();
    invented.sections[0].articles[1].id = 'made-up-story';
    const refused = await call('PUT', '/issues/205/editions/en', {
      ...writer,
      body: invented,
      headers: { 'if-match': '2' },
    });
    expect(refused.status).toBe(422);
    expect((await read(refused)).errors).toEqual([
      expect.objectContaining({ path: 'sections[0].articles[1].id', code: 'unknown-article' }),
    ]);
    const wrongLocale = await call('PUT', '/issues/205/editions/en', {
      ...writer,
      body: { ...english(), locale: 'ko' },
      headers: { 'if-match': '2' },
    });
    expect((await read(wrongLocale)).errors).toEqual([expect.objectContaining({ path: 'locale' })]);
    // The default edition has its own address.
    expect((await call('GET', '/issues/205/editions/ja', writer)).status).toBe(404);

    // An article left out is a warning, not a refusal.
    const shorter = english();
    shorter.sections[0].articles.pop();
    const short = await call('PUT', '/issues/205/editions/en', {
      ...writer,
      body: shorter,
      headers: { 'if-match': '2' },
    });
    expect(short.status).toBe(200);
    const en = await read(await call('GET', '/issues/205/editions/en', writer));
    expect(en.revision).toBe(3);
    expect(en.basedOn).toBe(1);
    expect(en.checks).toContainEqual(
      expect.objectContaining({ level: 'warning', code: 'missing-article', path: 'sections[0].articles[2]' }),
    );
    expect(en.checks.filter((k: Body) => k.level === 'error')).toEqual([]);

    // "Add an edition": the default edition's structure, links and images, every text empty.
    const added = await call('POST', '/issues/205/editions', { ...writer, body: { locale: 'ko' } });
    expect(added.status).toBe(201);
    const ko = await read(await call('GET', '/issues/205/editions/ko', writer));
    const ja = issue205();
    expect(ko.issue.subject).toBe('');
    expect(ko.issue.lead.id).toBe(ja.lead.id);
    expect(ko.issue.lead.url).toBe(ja.lead.url);
    expect(ko.issue.lead.summary).toEqual(ja.lead.summary.map(() => ''));
    expect(ko.based.subject).toBe(ja.subject);
    expect(ko.checks).toContainEqual(
      expect.objectContaining({ level: 'error', code: 'untranslated', path: 'subject' }),
    );
    expect((await call('POST', '/issues/205/editions', { ...writer, body: { locale: 'ko' } })).status).toBe(
      409,
    );

    // Review and approval per edition: the untranslated Korean edition cannot be approved.
    for (const locale of ['en', 'ko']) {
      expect((await call('POST', `/issues/205/editions/${locale}/review`, writer)).status).toBe(200);
    }
    expect((await call('POST', '/issues/205/editions/en/approve', writer)).status).toBe(403);
    const approved = await call('POST', '/issues/205/editions/en/approve', { cookie: cookies.editor });
    expect(await approved.json()).toEqual({ state: 'approved' });
    const notKo = await call('POST', '/issues/205/editions/ko/approve', { cookie: cookies.editor });
    expect(notKo.status).toBe(409);
    expect((await read(notKo)).error).toMatch(/not translated/);

    expect((await call('POST', '/issues/205/review', writer)).status).toBe(200);
    expect((await call('POST', '/issues/205/approve', { cookie: cookies.editor })).status).toBe(200);
    const after = await read(await call('GET', '/issues/205', writer));
    expect(after.editions).toEqual([
      { locale: 'ja', state: 'approved', revision: 1 },
      { locale: 'en', state: 'approved', revision: 3 },
      { locale: 'ko', state: 'in_review', revision: 1 },
      { locale: 'zh', state: 'missing', revision: null },
    ]);

    // A send refused (no such list) hands the editions back as they were.
    const noList = await call('POST', '/sends', {
      cookie: cookies.sender,
      body: { issue: 205, list: 'nobody' },
    });
    expect(noList.status).toBe(422);
    expect((await read(await call('GET', '/issues/205', writer))).editions).toEqual(after.editions);

    // The send takes the approved editions only and says which stayed behind.
    const send = await call('POST', '/sends', {
      cookie: cookies.sender,
      body: { issue: 205, list: 'members' },
    });
    expect(send.status).toBe(201);
    const scheduled = await read(send);
    expect(scheduled).toMatchObject({ editions: ['ja', 'en'], leftOut: ['ko'] });
    // The send itself carries both editions (each compiled), not only the default one.
    expect((await desk.gazette.sends.get(scheduled.id))?.editions).toEqual(['ja', 'en']);
    expect((await desk.gazette.sends.compiled(scheduled.id, 'en')).subject).toBe('No.205: autumn in Seoul');
    const sent = await read(await call('GET', '/issues/205', writer));
    expect(sent.editions.map((e: Body) => e.state)).toEqual([
      'scheduled',
      'scheduled',
      'in_review',
      'missing',
    ]);
    // A scheduled edition is locked against edits.
    const locked = await call('PUT', '/issues/205/editions/en', {
      ...writer,
      body: english(),
      headers: { 'if-match': '3' },
    });
    expect(locked.status).toBe(409);
  });
});
