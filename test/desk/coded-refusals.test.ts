import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACCOUNTS, localLinks, startTestDesk, type TestDesk } from '../helpers/desk-server.ts';
import { issue201Json } from '../helpers/issues.ts';

let desk: TestDesk;
const cookies: Record<string, string> = {};

beforeAll(async () => {
  desk = await startTestDesk('desk-coded');
  for (const [role, email] of Object.entries(ACCOUNTS)) cookies[role] = await desk.signIn(email);
});

afterAll(async () => {
  await desk?.close();
});

const JA = { 'accept-language': 'ja,en;q=0.5' };
const EN = { 'accept-language': 'en-GB' };
const KO = { 'accept-language': 'ko-KR' };

/**
 * Words of Latin letters left in a sentence once the names it may carry are taken out (issue
 * numbers, file formats, list and send ids the test chose): a Japanese sentence has none.
 */
function latinWords(text: string, names: string[] = []): string[] {
  let rest = text.replace(/No\.\d+/g, ' ').replace(/\b(PNG|JPEG|WebP|CSV|UTF-8|JSON|MB)\b/g, ' ');
  for (const name of names) rest = rest.replaceAll(name, ' ');
  return rest.match(/[A-Za-z]{2,}/g) ?? [];
}

type Refusal = { error: string; code: string; params: Record<string, unknown>; message: string };
type Problems = {
  errors: { path: string; code: string; params: Record<string, unknown>; message: string }[];
};

function issue(number: number) {
  const json = localLinks(issue201Json(), desk.links);
  json.number = number;
  return json;
}

describe('refusals come with a code and a message in the caller language', () => {
  it('a send of an issue not approved: 409 not-approved, in Japanese, English and Korean', async () => {
    const created = await desk.call('POST', '/issues', {
      cookie: cookies.writer,
      body: { issue: issue(301) },
    });
    expect(created.status).toBe(201);
    const ask = (headers: Record<string, string>) =>
      desk.call('POST', '/sends', { cookie: cookies.sender, body: { issue: 301, list: 'members' }, headers });
    const ja = await ask(JA);
    expect(ja.status).toBe(409);
    const jaBody = (await ja.json()) as Refusal;
    expect(jaBody).toMatchObject({ code: 'not-approved', params: { number: 301, issueState: 'draft' } });
    expect(jaBody.message).toBe('No.301 は「下書き」です。配信を予約できるのは承認済みの号だけです。');
    // `error` stays the English sentence older callers read.
    expect(jaBody.error).toBe('Issue 301 is draft; only an approved issue is scheduled.');
    const en = (await (await ask(EN)).json()) as Refusal;
    expect(en.message).toBe('Issue 301 is draft; only an approved issue is scheduled.');
    const ko = (await (await ask(KO)).json()) as Refusal;
    expect(ko.message).toContain('초안');
    // A caller naming no language the desk speaks reads Japanese, the desk's home language.
    const none = (await (await ask({ 'accept-language': 'fr' })).json()) as Refusal;
    expect(none.message).toBe(jaBody.message);
  });

  it('a send to an empty list: 422 naming the list field, coded empty-list instead of "refused"', async () => {
    await desk.call('POST', '/issues', { cookie: cookies.writer, body: { issue: issue(302) } });
    expect((await desk.call('POST', '/issues/302/review', { cookie: cookies.writer })).status).toBe(200);
    const approved = await desk.call('POST', '/issues/302/approve', { cookie: cookies.editor });
    expect(approved.status).toBe(200);
    const send = (headers: Record<string, string>) =>
      desk.call('POST', '/sends', { cookie: cookies.sender, body: { issue: 302, list: 'nobody' }, headers });
    const ja = await send(JA);
    expect(ja.status).toBe(422);
    const [problem] = ((await ja.json()) as Problems).errors;
    expect(problem).toMatchObject({ path: 'list', code: 'empty-list', params: { list: 'nobody' } });
    expect(problem?.message).toBe('リスト nobody には購読者がいないため、送る相手がいません。');
    expect(latinWords(problem?.message ?? '', ['nobody'])).toEqual([]);
    const [english] = ((await (await send(EN)).json()) as Problems).errors;
    expect(english?.message).toMatch(/^The list "nobody" has no subscribers/);
  });

  it('an upload that is not an image: 415 not-image, in Japanese for a Japanese caller', async () => {
    const upload = (headers: Record<string, string>) =>
      desk.call('POST', '/issues/301/images?name=x', {
        cookie: cookies.writer,
        body: 'plain text, not a picture',
        headers: { 'content-type': 'image/png', ...headers },
      });
    const ja = await upload(JA);
    expect(ja.status).toBe(415);
    const body = (await ja.json()) as Refusal;
    expect(body.code).toBe('not-image');
    expect(body.message).toBe('アップロードできるのは PNG・JPEG・WebP の画像だけです。');
    expect(latinWords(body.message)).toEqual([]);
    expect(((await (await upload(EN)).json()) as Refusal).message).toBe(
      'Only PNG, JPEG and WebP images can be uploaded.',
    );
  });

  it('a refused CSV row: a code, the column it is about, and a sentence in the caller language', async () => {
    const csv = 'email,name\nfine@example.com,Fine\nbob@,Bob\nfine@example.com,Again\n';
    const importAs = async (headers: Record<string, string>) => {
      const res = await desk.call('POST', '/subscribers/import?list=coded', {
        cookie: cookies.admin,
        body: csv,
        headers: { 'content-type': 'text/csv', ...headers },
      });
      expect(res.status).toBe(200);
      return (
        (await res.json()) as { rejected: (Refusal & { line: number; reason: string; path?: string })[] }
      ).rejected;
    };
    const ja = await importAs(JA);
    expect(ja.map((r) => [r.line, r.code, r.path])).toEqual([
      [3, 'email-address', 'email'],
      [4, 'row-repeats', undefined],
    ]);
    expect(ja[0]?.message).toBe('メールアドレス：「bob@」はメールアドレスとして使えません');
    expect(latinWords(ja[0]?.message ?? '', ['bob@'])).toEqual([]);
    expect(ja[1]?.message).toBe('fine@example.com は 2 行目と重複しています');
    const en = await importAs(EN);
    expect(en.map((r) => r.message)).toEqual(en.map((r) => r.reason));
    expect(en[0]?.message).toBe('"bob@" is not a valid e-mail address');
  });

  it('a validation error: each 422 problem keeps its path and code, its message in the caller language', async () => {
    const broken = issue(303);
    broken.sections[0].articles[0].title = '';
    const save = (headers: Record<string, string>) =>
      desk.call('POST', '/issues', { cookie: cookies.writer, body: { issue: broken }, headers });
    const ja = await save(JA);
    expect(ja.status).toBe(422);
    const [problem] = ((await ja.json()) as Problems).errors;
    expect(problem).toMatchObject({ path: 'sections[0].articles[0].title', code: 'empty', params: {} });
    expect(problem?.message).toBe('空にはできません');
    const [english] = ((await (await save(EN)).json()) as Problems).errors;
    expect(english?.message).toBe('must not be empty');
  });

  it("an issue's checks: each message in the caller language, the English of gazette validate for en", async () => {
    const draft = issue(304);
    draft.sections[0].articles[0].title = '[[TODO]]';
    const made = await desk.call('POST', '/issues', { cookie: cookies.writer, body: { issue: draft } });
    expect(made.status).toBe(201);
    type Checks = { checks: { code: string; path?: string; message: string }[] };
    const read = async (headers: Record<string, string>) =>
      ((await (await desk.call('GET', '/issues/304', { cookie: cookies.writer, headers })).json()) as Checks)
        .checks;
    const ja = (await read(JA)).find((k) => k.path === 'sections[0].articles[0].title');
    expect(ja?.code).toBe('placeholder');
    expect(ja?.message).toBe('まだ書かれていません');
    const en = (await read(EN)).find((k) => k.path === 'sections[0].articles[0].title');
    expect(en?.message).toMatch(/TODO/);
  });

  it('the guard refusals too: a role refusal is coded and worded', async () => {
    const res = await desk.call('POST', '/issues/301/approve', { cookie: cookies.writer, headers: JA });
    expect(res.status).toBe(403);
    const body = (await res.json()) as Refusal;
    expect(body).toMatchObject({ code: 'role', params: { roles: 'editor' } });
    expect(body.message).toBe('この操作には役割（editor）が必要です。');
  });
});
