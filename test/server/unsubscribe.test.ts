import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedis } from '../../src/redis.ts';
import { startServer } from '../../src/server/public/start.ts';
import { SubscriberInput } from '../../src/subscribers/subscriber-schema.ts';
import {
  parseUnsubscribeAddress,
  unsubscribeLinks,
  unsubscribeMailto,
  unsubscribeToken,
  unsubscribeUrl,
  unsubscribeWithToken,
} from '../../src/subscribers/unsubscribe.ts';
import { upsertSubscribers } from '../../src/subscribers/upsert.ts';
import { signToken } from '../../src/tokens.ts';
import { createConfirmWorker } from '../../workers/confirm.worker.ts';
import { startTestServer, type TestServer } from '../helpers/gazette-server.ts';
import { serverStores } from '../helpers/server-stores.ts';

let s: TestServer;
const ids: Record<string, number> = {};

beforeAll(async () => {
  s = await startTestServer('unsub');
  const wordingId = await s.subscribers.saveWording('test');
  const people = ['ja', 'en', 'ko', 'ko', 'en', 'ja'].map((locale, i) =>
    SubscriberInput.parse({ email: `person${i}@example.jp`, locale }),
  );
  await upsertSubscribers(s.subscribers, people, {
    locale: 'ja',
    resubscribe: false,
    consent: { source: 'import', by: 'cli:test', wordingId },
  });
  for (const [i, p] of people.entries()) ids[`p${i}`] = (await s.subscribers.findByEmail(p.email))?.id ?? 0;
});
afterAll(() => s.close());

const url = (id: number, sendId = 'send-7') =>
  `${s.base}/u/${unsubscribeToken(s.config.GAZETTE_SECRET, id, sendId)}`;
const oneClick = (
  target: string,
  body: URLSearchParams | FormData = new URLSearchParams({ 'List-Unsubscribe': 'One-Click' }),
) => fetch(target, { method: 'POST', body, redirect: 'manual' });
const status = async (id: number) => (await s.subscribers.get(id))?.status;

describe('GET /u/:token', () => {
  it("shows the preference centre in the subscriber's language, and changes nothing", async () => {
    const before = await s.subscribers.get(ids.p2 ?? 0);
    const res = await fetch(url(ids.p2 ?? 0));
    const html = await res.text();
    expect(res.status).toBe(200);
    expect(html).toContain('<html lang="ko">');
    expect(html).toContain('<h1>뉴스레터 설정</h1>');
    expect(html).toContain('person2@example.jp(으)로 보내는 뉴스레터를 수신 거부하시겠습니까?');
    // One form saves the settings, one leaves; nothing else posts.
    expect(html.match(/<form action="\/u\/[a-z0-9.-]+\/preferences" method="post">/g)).toHaveLength(1);
    expect(html.match(/<form action="\/u\/[a-z0-9.-]+" method="post">/g)).toHaveLength(1);
    expect(html.match(/<button/g)).toHaveLength(2);
    // The languages in their own script, the reader's own chosen.
    expect(html).toContain('<option value="ko" lang="ko" selected="">한국어</option>');
    expect(html).toContain('<option value="zh" lang="zh">中文</option>');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    expect(await s.subscribers.get(ids.p2 ?? 0)).toEqual(before);
    expect(await status(ids.p2 ?? 0)).toBe('active');
    expect(await s.subscribers.isSuppressed('person2@example.jp')).toBe(false);
  });
});

describe('POST /u/:token/preferences', () => {
  let reader = 0;
  const prefs = (body: URLSearchParams, headers: Record<string, string> = {}) =>
    fetch(`${url(reader, 'send-20')}/preferences`, { method: 'POST', body, headers, redirect: 'manual' });
  const listsOf = async () => (await s.subscribers.listsOf([reader]))[0];

  beforeAll(async () => {
    const wordingId = await s.subscribers.saveWording('test');
    for (const list of ['culture', 'economy']) await s.subscribers.addList(list);
    const person = SubscriberInput.parse({
      email: 'reader@example.cn',
      locale: 'en',
      lists: ['culture', 'economy'],
    });
    await upsertSubscribers(s.subscribers, [person], {
      locale: 'ja',
      resubscribe: false,
      consent: { source: 'import', by: 'cli:test', wordingId },
    });
    reader = (await s.subscribers.findByEmail(person.email))?.id ?? 0;
  });

  it('lists the lists the reader is on, ticked, and GET leaves them and the language as they are', async () => {
    const html = await (await fetch(url(reader, 'send-20'))).text();
    expect(html).toContain('<input type="checkbox" name="lists" checked="" value="culture"/> culture');
    expect(html).toContain('<input type="checkbox" name="lists" checked="" value="economy"/> economy');
    expect(await listsOf()).toEqual(['culture', 'economy']);
    expect((await s.subscribers.get(reader))?.locale).toBe('en');
  });

  it('changes the language and leaves the lists not ticked; the page answers in the new language', async () => {
    const res = await prefs(
      new URLSearchParams([
        ['locale', 'zh'],
        ['listsShown', '1'],
        ['lists', 'economy'],
      ]),
    );
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('<html lang="zh">');
    expect(html).toContain('设置已保存。');
    const person = await s.subscribers.get(reader);
    expect(person).toMatchObject({ locale: 'zh', status: 'active' });
    expect(await listsOf()).toEqual(['economy']);
    expect(await s.subscribers.isSuppressed('reader@example.cn')).toBe(false);
  });

  it('never joins a list the reader is not on, and keeps the lists when the boxes were not shown', async () => {
    await prefs(
      new URLSearchParams([
        ['locale', 'zh'],
        ['listsShown', '1'],
        ['lists', 'economy'],
        ['lists', 'culture'],
      ]),
    );
    expect(await listsOf()).toEqual(['economy']);
    await prefs(new URLSearchParams([['locale', 'ko']]));
    expect(await listsOf()).toEqual(['economy']);
    expect((await s.subscribers.get(reader))?.locale).toBe('ko');
  });

  it('refuses a form from another site, an unknown language and a forged token, changing nothing', async () => {
    const before = await s.subscribers.get(reader);
    const evil = await prefs(
      new URLSearchParams([
        ['locale', 'ja'],
        ['listsShown', '1'],
      ]),
      {
        origin: 'https://evil.example',
      },
    );
    expect(evil.status).toBe(403);
    expect((await prefs(new URLSearchParams([['locale', 'xx']]))).status).toBe(400);
    const forged = `${url(reader, 'send-20').slice(0, -1)}${url(reader, 'send-20').endsWith('0') ? '1' : '0'}/preferences`;
    const res = await fetch(forged, { method: 'POST', body: new URLSearchParams([['locale', 'ja']]) });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('Nothing was changed.');
    expect(await s.subscribers.get(reader)).toEqual(before);
    expect(await listsOf()).toEqual(['economy']);
    const own = await prefs(new URLSearchParams([['locale', 'ja']]), { origin: 'http://gazette.test' });
    expect(own.status).toBe(200);
    expect((await s.subscribers.get(reader))?.locale).toBe('ja');
  });

  it('leaves at once on the one-click POST to the same token, after which the settings change nothing', async () => {
    expect((await oneClick(url(reader, 'send-20'))).status).toBe(200);
    expect(await status(reader)).toBe('unsubscribed');
    const res = await prefs(new URLSearchParams([['locale', 'en']]));
    expect(await res.text()).toContain('reader@example.cn はすでに配信停止済みです。');
    expect((await s.subscribers.get(reader))?.locale).toBe('ja');
  });
});

describe('POST /u/:token', () => {
  it('unsubscribes at once on an RFC 8058 one-click POST and answers 200, not a redirect', async () => {
    const res = await oneClick(url(ids.p0 ?? 0));
    expect(res.status).toBe(200);
    expect(res.headers.get('location')).toBeNull();
    expect(await res.text()).toContain(
      '配信を停止しました。今後 person0@example.jp にニュースレターは届きません。',
    );
    const person = await s.subscribers.get(ids.p0 ?? 0);
    expect(person?.status).toBe('unsubscribed');
    expect(person?.left).toMatchObject({ via: 'one-click', by: '127.0.0.1', sendId: 'send-7' });
    expect(await s.subscribers.isSuppressed('person0@example.jp')).toBe(true);
    expect(await s.subscribers.unsubscribesForSend('send-7')).toBe(1);
  });

  it('accepts a multipart body too', async () => {
    const form = new FormData();
    form.set('List-Unsubscribe', 'One-Click');
    const res = await oneClick(url(ids.p1 ?? 0, 'send-8'), form);
    expect(res.status).toBe(200);
    expect(await status(ids.p1 ?? 0)).toBe('unsubscribed');
  });

  it('is harmless to repeat: same answer, first record kept, counted once', async () => {
    const before = await s.subscribers.get(ids.p0 ?? 0);
    const res = await oneClick(url(ids.p0 ?? 0));
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('person0@example.jp はすでに配信停止済みです。');
    expect(await s.subscribers.get(ids.p0 ?? 0)).toEqual(before);
    expect(await s.subscribers.unsubscribesForSend('send-7')).toBe(1);
  });

  it("unsubscribes from the page's button (the same path)", async () => {
    const res = await oneClick(
      url(ids.p3 ?? 0),
      new URLSearchParams({ 'List-Unsubscribe': 'One-Click', via: 'page' }),
    );
    expect(res.status).toBe(200);
    expect((await s.subscribers.get(ids.p3 ?? 0))?.left?.via).toBe('page');
  });
});

describe('refused tokens', () => {
  const id = () => ids.p4 ?? 0;
  const good = () => unsubscribeToken(s.config.GAZETTE_SECRET, id(), '0');
  const cases: [string, () => string, RegExp][] = [
    [
      'forged (signature altered)',
      () => `${good().slice(0, -1)}${good().endsWith('0') ? '1' : '0'}`,
      /The link is not valid/,
    ],
    [
      'signed with another secret',
      () => unsubscribeToken('another-secret-another-secret-1234', id(), '0'),
      /not valid/,
    ],
    [
      'for another purpose',
      () => signToken(s.config.GAZETTE_SECRET, 'confirm', [String(id()), '0']),
      /not valid/,
    ],
    ['truncated', () => good().slice(0, 20), /The link is incomplete/],
    [
      'with extra fields',
      () => signToken(s.config.GAZETTE_SECRET, 'unsubscribe', [String(id()), '0', 'x']),
      /incomplete/,
    ],
  ];

  for (const [name, token, message] of cases) {
    it(`answers 400 to a token ${name}, on GET and POST, and changes nothing`, async () => {
      for (const res of [await fetch(`${s.base}/u/${token()}`), await oneClick(`${s.base}/u/${token()}`)]) {
        expect(res.status).toBe(400);
        const html = await res.text();
        expect(html).toMatch(message);
        expect(html).toContain('Nothing was changed.');
      }
      expect(await status(id())).toBe('active');
      expect(await s.subscribers.isSuppressed('person4@example.jp')).toBe(false);
    });
  }
});

describe('unsubscribe links for the sender', () => {
  it('builds the URL and mailto address from one signature', () => {
    const links = unsubscribeLinks(s.config, 42, 'send-7');
    expect(links.url).toBe(unsubscribeUrl(s.config, 42, 'send-7'));
    expect(links.url).toBe(`http://gazette.test/u/${links.token}`);
    expect(links.mailto).toBe(unsubscribeMailto(s.config, links.token));
    expect(links.mailto).toMatch(/^unsubscribe\+42\.send-7\.0\.[0-9a-f]{24}@bounces\.gazette\.test$/);
    expect(() => unsubscribeMailto(s.config, 'x'.repeat(60))).toThrow('max 64');
  });

  it('honours the mailto address through the same code path, and ignores foreign addresses', async () => {
    const { token } = unsubscribeLinks(s.config, ids.p5 ?? 0, 'send-9');
    const address = `"Gazette" <UNSUBSCRIBE+${token.toUpperCase()}@Bounces.Gazette.Test>`;
    const parsed = parseUnsubscribeAddress(address, s.config);
    expect(parsed).toBe(token);
    expect(parseUnsubscribeAddress(`mailto:unsubscribe+${token}@bounces.gazette.test`, s.config)).toBe(token);
    expect(parseUnsubscribeAddress(`unsubscribe+${token}@evil.example`, s.config)).toBeNull();
    expect(parseUnsubscribeAddress(`bounces+${token}@bounces.gazette.test`, s.config)).toBeNull();

    const result = await unsubscribeWithToken(s, parsed ?? '', { via: 'mailto', by: 'person5@example.jp' });
    expect(result).toMatchObject({ ok: true, outcome: 'changed' });
    expect((await s.subscribers.get(ids.p5 ?? 0))?.left).toMatchObject({ via: 'mailto', sendId: 'send-9' });
    expect(await unsubscribeWithToken(s, `${parsed}x`, { via: 'mailto', by: 'x' })).toEqual({
      ok: false,
      reason: 'malformed',
    });
  });
});

describe('server basics', () => {
  it('reports Redis health: 200 when it answers, 503 when it does not', async () => {
    const ok = await fetch(`${s.base}/health`);
    expect([ok.status, await ok.json()]).toEqual([200, { status: 'ok', redis: 'ok', mode: 'single' }]);

    const dead = createRedis('redis://127.0.0.1:1', {
      lazyConnect: true,
      enableOfflineQueue: false,
      retryStrategy: () => null,
    });
    dead.on('error', () => undefined);
    const broken = await startServer(
      {
        confirmWorker: createConfirmWorker,
        ...s,
        ...serverStores(dead, s.config),
        redis: dead,
        mailer: undefined as never,
      },
      0,
      '127.0.0.1',
    );
    try {
      const res = await fetch(`http://127.0.0.1:${broken.port}/health`);
      expect(res.status).toBe(503);
      expect(await res.json()).toMatchObject({ status: 'error' });
    } finally {
      await broken.close();
      dead.disconnect();
    }
  });

  it('refuses a body over the size limit before reading it', async () => {
    const res = await oneClick(url(ids.p4 ?? 0), new URLSearchParams({ junk: 'x'.repeat(20_000) }));
    expect(res.status).toBe(413);
    expect(await status(ids.p4 ?? 0)).toBe('active');
  });
});
