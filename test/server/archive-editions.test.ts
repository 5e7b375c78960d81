import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGazette } from '../../src/app.ts';
import { compileIssue } from '../../src/compose/render.ts';
import { parseIssue } from '../../src/issue/load.ts';
import type { Locale } from '../../src/issue/schema.ts';
import type { SendRecord } from '../../src/send/record/send-record.ts';
import { startTestServer, type TestServer } from '../helpers/gazette-server.ts';
import { issue201Json } from '../helpers/issues.ts';

let s: TestServer;

/** An edition of `number` in `locale`, its subject marked with the language. */
async function edition(number: number, locale: Locale) {
  const data = issue201Json();
  data.number = number;
  data.locale = locale;
  data.subject = `No.${number} in ${locale}`;
  data.preheader = `preheader ${number} ${locale}`;
  return compileIssue(parseIssue(data), { publicUrl: 'http://gazette.test' });
}

/** Stores a finished send of `number` with `locales` (the default first), as the worker leaves one. */
async function publish(number: number, locales: Locale[] | null, at: number) {
  const { sends } = createGazette(s.config, { redis: s.t.redis });
  const compiled = await Promise.all((locales ?? ['ja']).map((l) => edition(number, l)));
  const record: SendRecord = {
    id: `s${number}`,
    list: 'members',
    issue: number,
    subject: compiled[0]?.subject ?? '',
    state: 'done',
    at,
    createdAt: at,
    startedAt: at,
    doneAt: at,
    lastAt: at,
    fanoutDone: true,
    cursor: 0,
    expected: 0,
    from: s.config.MAIL_FROM,
    testTo: null,
    reason: null,
    ...(locales ? { editions: locales } : {}),
  };
  await sends.create(record, compiled);
}

/** The rss items' links and the channel's language (the feed library writes one element a line). */
function feedOf(xml: string) {
  const links = [...xml.matchAll(/<item>[\s\S]*?<link>([^<]*)<\/link>/g)].map((m) => m[1]);
  return { links, language: /<language>([^<]*)<\/language>/.exec(xml)?.[1] };
}

beforeAll(async () => {
  s = await startTestServer('archive-editions');
  await publish(205, ['ja', 'en', 'zh'], Date.UTC(2026, 10, 2));
  // A send from before editions: no `editions` field, one edition in the compiled issue's locale.
  await publish(204, null, Date.UTC(2026, 9, 2));
}, 60_000);
afterAll(async () => {
  await s?.close();
});

describe('an edition per language in the archive', () => {
  it('serves /archive/205 and /archive/205/en, each linking every edition with hreflang and a switcher', async () => {
    const ja = await fetch(`${s.base}/archive/205`);
    expect(ja.status).toBe(200);
    const jaHtml = await ja.text();
    expect(jaHtml).toContain('No.205 in ja');
    expect(jaHtml).toContain('<html lang="ja"');
    const en = await fetch(`${s.base}/archive/205/en`);
    expect(en.status).toBe(200);
    const enHtml = await en.text();
    expect(enHtml).toContain('No.205 in en');
    expect(enHtml).toContain('Read more');
    for (const html of [jaHtml, enHtml]) {
      expect(html).toContain('<link rel="alternate" hrefLang="ja" href="http://gazette.test/archive/205"/>');
      expect(html).toContain(
        '<link rel="alternate" hrefLang="en" href="http://gazette.test/archive/205/en"/>',
      );
      expect(html).toContain(
        '<link rel="alternate" hrefLang="zh" href="http://gazette.test/archive/205/zh"/>',
      );
      expect(html).toContain(
        '<link rel="alternate" hrefLang="x-default" href="http://gazette.test/archive/205"/>',
      );
      // The links sit in the head, the switcher at the top of the body.
      expect(html.indexOf('hrefLang="en"')).toBeLessThan(html.indexOf('</head>'));
    }
    // The switcher names each language in its own script; the page's own is not a link.
    expect(jaHtml).toContain('<strong lang="ja" aria-current="page">日本語</strong>');
    expect(jaHtml).toMatch(
      /<a lang="en" hrefLang="en" href="http:\/\/gazette\.test\/archive\/205\/en"[^>]*>English<\/a>/,
    );
    expect(jaHtml).toMatch(
      /<a lang="zh" hrefLang="zh" href="http:\/\/gazette\.test\/archive\/205\/zh"[^>]*>中文<\/a>/,
    );
    expect(enHtml).toContain('<strong lang="en" aria-current="page">English</strong>');
    expect(enHtml).toMatch(
      /<a lang="ja" hrefLang="ja" href="http:\/\/gazette\.test\/archive\/205"[^>]*>日本語<\/a>/,
    );
    expect(enHtml).toContain('<nav aria-label="Language"');
  });

  it('renders the zh edition with the Chinese chrome, and answers 404 for an edition that was not sent', async () => {
    const zh = await (await fetch(`${s.base}/archive/205/zh`)).text();
    expect(zh).toContain('阅读全文');
    // Its sign-up link opens the form in Chinese, which records the reader as zh.
    expect(zh).toMatch(/<a href="http:\/\/gazette\.test\/subscribe\?lang=zh">订阅本简报<\/a>/);
    expect((await fetch(`${s.base}/archive/205/ko`)).status).toBe(404);
    expect((await fetch(`${s.base}/archive/205/xx`)).status).toBe(404);
    expect((await fetch(`${s.base}/archive/204/en`)).status).toBe(404);
    const own = await fetch(`${s.base}/archive/205/ja`, { redirect: 'manual' });
    expect(own.status).toBe(301);
    expect(own.headers.get('location')).toBe('/archive/205');
  });

  it('leaves a number with one edition without switcher or alternates', async () => {
    const html = await (await fetch(`${s.base}/archive/204`)).text();
    expect(html).toContain('No.204 in ja');
    expect(html).not.toContain('hrefLang');
    expect(html).not.toContain('aria-current');
  });

  it('lists each number once in the index, with links to its other editions', async () => {
    const html = await (await fetch(`${s.base}/archive?lang=en`)).text();
    expect(html.match(/href="\/archive\/205"/g)).toHaveLength(1);
    expect(html).toContain('href="/archive/205/en"');
    expect(html).toContain('href="/archive/205/zh"');
    expect(html).toContain('href="/archive/204"');
    expect(html).not.toContain('href="/archive/204/');
    expect(html).toContain('href="/archive/en/feed.xml"');
  });

  it('keeps /archive/feed.xml with every number, and /archive/en/feed.xml lists only the en editions', async () => {
    const all = feedOf(await (await fetch(`${s.base}/archive/feed.xml`)).text());
    expect(all.links).toEqual(['http://gazette.test/archive/205', 'http://gazette.test/archive/204']);
    const res = await fetch(`${s.base}/archive/en/feed.xml`);
    expect(res.headers.get('content-type')).toContain('application/rss+xml');
    const xml = await res.text();
    const en = feedOf(xml);
    expect(en.links).toEqual(['http://gazette.test/archive/205/en']);
    expect(en.language).toBe('en');
    expect(xml).toContain('No.205 in en');
    expect(xml).not.toContain('No.205 in ja');
    const zh = feedOf(await (await fetch(`${s.base}/archive/zh/feed.xml`)).text());
    expect(zh.links).toEqual(['http://gazette.test/archive/205/zh']);
    expect((await fetch(`${s.base}/archive/xx/feed.xml`)).status).toBe(404);
  });
});
