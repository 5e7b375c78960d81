import { Readable, Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatImportResult } from '../../src/cli/subscriber-commands.ts';
import { exportSubscribers } from '../../src/subscribers/files/export.ts';
import { type ImportOptions, importSubscribers } from '../../src/subscribers/files/import.ts';
import { createSubscriberStore, type SubscriberStore } from '../../src/subscribers/subscriber-store.ts';
import { type TestRedis, testRedis } from '../helpers/redis.ts';

let t: TestRedis;
let n = 0;
const newStore = () => createSubscriberStore({ redis: t.redis, prefix: `${t.prefix}:${++n}` });
const options: ImportOptions = {
  format: 'csv',
  locale: 'ja',
  resubscribe: false,
  by: 'cli:test',
  wording: 'Agreed at the 2025 forum',
};
const run = (store: SubscriberStore, text: string, opts: Partial<ImportOptions> = {}) =>
  importSubscribers(store, Readable.from([Buffer.from(text)]), { ...options, ...opts });

/** Line numbers are the file's: the BOM and header are line 1. */
const MESSY = [
  '\uFEFFEmail,Name,Locale', //                    1
  'taro@example.jp,"Yamada, Taro",ja', //          2
  'hanako@example.jp,山田 花子,JA', //              3
  '', //                                           4
  'bob@,Bob,en', //                                5
  'TARO@EXAMPLE.JP,Duplicate Taro,ja', //          6
  'kim@example.kr,"김, 민수",ko', //                 7
  'not-an-email,Nobody,en', //                     8
  'ming@例え.jp,"Li ""Ming""",en', //              9
  'x@y.com,X,fr', //                               10
  '"multi@example.com","Line one', //              11
  'line two",en', //                               12
  'bad@@example.com,Bad,en', //                    13
  'last@example.com,最後,', //                      14
].join('\r\n');

async function exported(store: SubscriberStore, format: 'csv' | 'jsonl', list?: string): Promise<string> {
  const chunks: string[] = [];
  const out = new Writable({
    write(chunk, _enc, done) {
      chunks.push(String(chunk));
      done();
    },
  });
  await exportSubscribers(store, out, { format, list });
  return chunks.join('');
}

async function everyone(store: SubscriberStore) {
  const all = await store.pageAll(0, 1000);
  const lists = await store.listsOf(all.map((s) => s.id));
  return all.map((s, i) => ({
    email: s.email,
    name: s.name,
    locale: s.locale,
    status: s.status,
    lists: lists[i],
  }));
}

beforeAll(async () => {
  t = await testRedis('import');
});
afterAll(() => t.cleanup());

describe('CSV import', () => {
  it('imports the good rows of a messy file and names every bad line', async () => {
    const store = newStore();
    const result = await run(store, MESSY);
    expect(result).toEqual({
      added: 6,
      updated: 0,
      unchanged: 0,
      suppressed: 0,
      rejected: [
        // Each with a message code, its values and the column, for the desk to word (issue 18).
        {
          line: 5,
          reason: '"bob@" is not a valid e-mail address',
          code: 'email-address',
          params: { value: 'bob@' },
          path: 'email',
        },
        {
          line: 6,
          reason: '"TARO@example.jp" repeats line 2',
          code: 'row-repeats',
          params: { email: 'TARO@example.jp', first: 2 },
        },
        {
          line: 8,
          reason: '"not-an-email" is not a valid e-mail address',
          code: 'email-address',
          params: { value: 'not-an-email' },
          path: 'email',
        },
        {
          line: 10,
          reason: '"fr" is not a supported locale (ja, en, ko, zh)',
          code: 'one-of',
          params: { values: 'ja, en, ko, zh' },
          path: 'locale',
        },
        {
          line: 13,
          reason: '"bad@@example.com" is not a valid e-mail address',
          code: 'email-address',
          params: { value: 'bad@@example.com' },
          path: 'email',
        },
      ],
    });
    expect(await everyone(store)).toEqual([
      { email: 'taro@example.jp', name: 'Yamada, Taro', locale: 'ja', status: 'active', lists: ['default'] },
      { email: 'hanako@example.jp', name: '山田 花子', locale: 'ja', status: 'active', lists: ['default'] },
      { email: 'kim@example.kr', name: '김, 민수', locale: 'ko', status: 'active', lists: ['default'] },
      { email: 'ming@xn--r8jz45g.jp', name: 'Li "Ming"', locale: 'en', status: 'active', lists: ['default'] },
      {
        email: 'multi@example.com',
        name: 'Line one line two',
        locale: 'en',
        status: 'active',
        lists: ['default'],
      },
      { email: 'last@example.com', name: '最後', locale: 'ja', status: 'active', lists: ['default'] },
    ]);
    const [taro] = await store.pageAll(0, 1);
    expect(taro?.consent).toMatchObject({ source: 'import', by: 'cli:test' });
    expect((await store.wordings())[taro?.consent?.wordingId ?? '']).toBe('Agreed at the 2025 forum');
    expect(formatImportResult(result)).toEqual([
      'added 6, updated 0, skipped 0 (0 unchanged, 0 suppressed), rejected 5',
      'line 5: "bob@" is not a valid e-mail address',
      'line 6: "TARO@example.jp" repeats line 2',
      'line 8: "not-an-email" is not a valid e-mail address',
      'line 10: "fr" is not a supported locale (ja, en, ko, zh)',
      'line 13: "bad@@example.com" is not a valid e-mail address',
    ]);
  });

  it('changes nothing when the same file is imported again, and updates rather than duplicates', async () => {
    const store = newStore();
    await run(store, MESSY);
    const before = await store.pageAll(0, 100);
    const again = await run(store, MESSY);
    expect({ ...again, rejected: again.rejected.length }).toEqual({
      added: 0,
      updated: 0,
      unchanged: 6,
      suppressed: 0,
      rejected: 5,
    });
    expect(await store.pageAll(0, 100)).toEqual(before);

    const changed = await run(store, 'email,name,locale\nhanako@example.jp,Hanako Yamada,en\n', {
      list: 'vip',
    });
    expect(changed).toMatchObject({ added: 0, updated: 1 });
    const hanako = await store.findByEmail('HANAKO@example.jp');
    expect(hanako).toMatchObject({ id: 2, name: 'Hanako Yamada', locale: 'en' });
    expect(await store.listsOf([2])).toEqual([['default', 'vip']]);
  });

  it('refuses a file without an e-mail column, saying what it found', async () => {
    await expect(run(newStore(), 'Name,Locale\nTaro,ja\n')).rejects.toThrow(
      'the first line must be a header row with an "email" column (found: "Name", "Locale")',
    );
  });

  it('reports a quote that is never closed and what it swallowed', async () => {
    const result = await run(newStore(), 'email,name\na@example.com,A\nb@example.com,"B\nc@example.com,C\n');
    expect(result.added).toBe(1);
    expect(result.rejected).toEqual([
      {
        line: 3,
        reason: expect.stringMatching(
          /^a quoted field is never closed, so nothing from line 3 on was imported \(/,
        ),
        code: 'row-unclosed-quote',
        params: { line: 3 },
      },
    ]);
  });

  it('rejects rows that are not UTF-8 with a hint', async () => {
    const latin1 = Buffer.concat([
      Buffer.from('email,name\nrene@example.com,Ren'),
      Buffer.from([0xe9]),
      Buffer.from('\n'),
    ]);
    const result = await importSubscribers(newStore(), Readable.from([latin1]), options);
    expect(result.rejected).toEqual([
      {
        line: 2,
        reason: 'is not UTF-8 text (save the file as "CSV UTF-8")',
        code: 'row-not-utf8',
        params: {},
      },
    ]);
  });
});

describe('JSONL import', () => {
  it('reads one object per line and names bad lines', async () => {
    const store = newStore();
    const text = [
      '{"email":"a@example.com","name":"A","lists":["x","y"]}',
      '',
      '{"email":"b@example.com"',
      '["c@example.com"]',
      '{"email":"d@example.com","locale":"ko","lists":"x"}',
    ].join('\n');
    const result = await run(store, text, { format: 'jsonl' });
    expect(result.added).toBe(2);
    expect(result.rejected.map((r) => r.line)).toEqual([3, 4]);
    expect(result.rejected[0]?.reason).toMatch(/^is not valid JSON/);
    expect(result.rejected[1]?.reason).toBe('is not a JSON object');
    expect(await store.listsOf([1, 2])).toEqual([['x', 'y'], ['x']]);
  });
});

describe('suppression through imports', () => {
  it('keeps an unsubscribed or suppressed address out until --resubscribe, and says how many it skipped', async () => {
    const store = newStore();
    await run(store, MESSY);
    const kim = await store.findByEmail('kim@example.kr');
    await store.unsubscribe(kim?.id ?? 0, { via: 'one-click', by: '203.0.113.9' });
    await store.suppress('never@example.com', 'manual');
    const file = `${MESSY}\r\nnever@example.com,Never,en\r\n`;

    const again = await run(store, file);
    expect(again).toMatchObject({ added: 0, updated: 0, unchanged: 5, suppressed: 2 });
    expect(formatImportResult(again)[1]).toBe(
      '2 suppressed address(es) were left alone; pass --resubscribe to re-activate them',
    );
    expect((await store.findByEmail('kim@example.kr'))?.status).toBe('unsubscribed');
    expect(await store.findByEmail('never@example.com')).toBeNull();
    expect(await store.areSuppressed(['kim@example.kr', 'never@example.com'])).toEqual([true, true]);

    const forced = await run(store, file, { resubscribe: true });
    expect(forced).toMatchObject({ added: 1, updated: 1, suppressed: 0 });
    expect((await store.findByEmail('kim@example.kr'))?.status).toBe('active');
    expect((await store.findByEmail('kim@example.kr'))?.left).toBeNull();
    expect(await store.areSuppressed(['kim@example.kr', 'never@example.com'])).toEqual([false, false]);
  });
});

describe('export', () => {
  it('round-trips through CSV and JSONL, people who left included', async () => {
    const source = newStore();
    await run(source, MESSY);
    await run(source, 'email,name\nformula@example.com,"=HYPERLINK(""http://evil.example"",""click"")"\n', {
      list: 'vip',
    });
    await source.unsubscribe(3, { via: 'page', by: '203.0.113.9' });
    await source.markBounced(4, { via: 'bounce', by: '550 5.1.1' });
    const original = await everyone(source);

    for (const format of ['csv', 'jsonl'] as const) {
      const target = newStore();
      const result = await run(target, await exported(source, format), { format });
      expect(result).toMatchObject({ added: 7, rejected: [] });
      expect(await everyone(target)).toEqual(original);
      expect(
        await target.areSuppressed(['kim@example.kr', 'ming@xn--r8jz45g.jp', 'taro@example.jp']),
      ).toEqual([true, true, false]);
    }
  });

  it('neutralises formula-like cells for spreadsheets', async () => {
    const store = newStore();
    await run(
      store,
      'email,name\nformula@example.com,"=HYPERLINK(""http://evil.example"",""click"")"\n+plus@example.com,@SUM(A1)\n',
    );
    const csv = await exported(store, 'csv');
    const lines = csv.split('\r\n');
    expect(lines[0]).toBe(
      '\uFEFFemail,name,locale,lists,status,created_at,updated_at,consent_source,consent_at,consent_by,consent_wording,consent_form_url',
    );
    expect(lines[1]).toMatch(
      /^formula@example\.com,"'=HYPERLINK\(""http:\/\/evil\.example"",""click""\)",ja,default,active,/,
    );
    expect(lines[2]).toMatch(/^'\+plus@example\.com,'@SUM\(A1\),/);
    expect(csv).not.toMatch(/(^|,)"?[=+\-@]/m);
  });

  it("gives back a name that really starts with an apostrophe and a formula character ('=, ''+)", async () => {
    const source = newStore();
    const names = ["'=not a formula", "''+two apostrophes", "'plain quote", '=formula', "'"];
    await source.createMany(
      names.map((name, i) => ({
        email: `p${i}@example.com`,
        name,
        locale: 'en' as const,
        status: 'active' as const,
        lists: ['default'],
      })),
    );
    const csv = await exported(source, 'csv');
    expect(csv).not.toMatch(/(^|,)"?[=+\-@]/m);
    const target = newStore();
    expect(await run(target, csv)).toMatchObject({ added: names.length, rejected: [] });
    expect((await everyone(target)).map((s) => s.name)).toEqual(names);
  });

  it('reads a header named __proto__ or constructor as an unknown column, not as a crash', async () => {
    const store = newStore();
    const result = await run(store, 'email,__proto__,constructor,name\nproto@example.com,x,y,Proto\n');
    expect(result).toMatchObject({ added: 1, rejected: [] });
    expect(await store.findByEmail('proto@example.com')).toMatchObject({ name: 'Proto' });
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });

  it('exports only the members of a list when asked', async () => {
    const store = newStore();
    await run(store, MESSY);
    await run(store, 'email\nvip@example.com\n', { list: 'vip' });
    const jsonl = (await exported(store, 'jsonl', 'vip')).trim().split('\n');
    expect(jsonl.map((l) => JSON.parse(l).email)).toEqual(['vip@example.com']);
  });
});
