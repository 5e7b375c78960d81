import { escapeUTF8 } from 'entities';
import { beforeAll, describe, expect, it } from 'vitest';
import type { CompiledIssue } from '../../src/compose/compiled.ts';
import { lintIssue } from '../../src/compose/lint.ts';
import { compileIssue } from '../../src/compose/render.ts';
import { loadIssue, parseIssue } from '../../src/issue/load.ts';
import type { Issue } from '../../src/issue/schema.ts';
import { articlesOf, issue201Json, sampleIssueFiles } from '../helpers/issues.ts';

const PUBLIC_URL = 'https://news.example.org';

describe.each(sampleIssueFiles())('sample issue %s', (file) => {
  let issue: Issue;
  let compiled: CompiledIssue;
  beforeAll(async () => {
    issue = await loadIssue(file);
    compiled = await compileIssue(issue, { publicUrl: PUBLIC_URL });
  });

  it('carries every article title and link in both parts', () => {
    for (const article of articlesOf(issue)) {
      expect(compiled.html).toContain(escapeUTF8(article.title).replaceAll('&apos;', '&#x27;'));
      expect(compiled.html).toContain(`href="${article.url}"`);
      expect(compiled.text).toContain(article.title);
      expect(compiled.text).toContain(article.url);
    }
    for (const item of issue.ranking?.items ?? []) expect(compiled.text).toContain(item.url);
    for (const link of issue.footer.links) expect(compiled.html).toContain(`href="${link.url}"`);
  });

  it('is responsive, in its language, under the size budget and clean of lint', () => {
    expect(compiled.html).toMatch(/@media only screen and \(min-width:480px\)/);
    expect(compiled.html).toContain(`lang="${issue.locale}"`);
    // The quality bar: No.201 under 60 KB; every sample well clear of Gmail's clipping (lint warns from 90 KB).
    if (issue.number === 201) expect(Buffer.byteLength(compiled.html)).toBeLessThan(60 * 1024);
    expect(lintIssue(issue, compiled.html)).toEqual([]);
  });

  it('makes every image absolute', () => {
    const sources = [...compiled.html.matchAll(/<img[^>]+src="([^"]+)"/g)].map((m) => m[1]);
    expect(sources.length).toBeGreaterThan(0);
    for (const src of sources) expect(src).toMatch(/^https?:\/\//);
  });

  it('maps every link of the issue by id', () => {
    for (const article of articlesOf(issue)) expect(compiled.links[article.id]).toBe(article.url);
    expect(Object.values(compiled.links)).toContain(issue.footer.links[0]?.url);
  });
});

describe('escaping', () => {
  const hostile = '<script>alert(1)</script> & "quotes"';
  const hostileUrl = 'https://example.org/search?q="x"<y>&z=1';
  let compiled: CompiledIssue;
  beforeAll(async () => {
    const data = issue201Json();
    data.lead.title = hostile;
    data.lead.url = hostileUrl;
    data.masthead.tagline = '</mj-text><mj-raw><script>x</script></mj-raw>';
    compiled = await compileIssue(parseIssue(data), { publicUrl: PUBLIC_URL });
  });

  it('escapes editor text and links in the HTML', () => {
    expect(compiled.html).not.toContain('<script>');
    expect(compiled.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quotes&quot;');
    expect(compiled.html).toContain('href="https://example.org/search?q=&quot;x&quot;&lt;y&gt;&amp;z=1"');
    expect(compiled.html).not.toContain('<mj-raw>');
  });

  it('keeps them intact in the text part', () => {
    expect(compiled.text).toContain(hostile);
    expect(compiled.text).toContain(hostileUrl);
  });

  it('refuses editor text that contains a placeholder marker', async () => {
    const data = issue201Json();
    data.lead.title = 'Hello %%GZ_UNSUBSCRIBE_URL%%';
    await expect(compileIssue(parseIssue(data), { publicUrl: PUBLIC_URL })).rejects.toThrow(/reserved text/);
  });
});

describe('locales', () => {
  it.each([
    ['en', 'Read more', 'November 2021'],
    ['ko', '자세히 보기', '2021년 11월'],
    ['zh', '阅读全文', '2021年11月'],
  ])('renders the chrome strings of %s', async (locale, readMore, month) => {
    const data = issue201Json();
    data.locale = locale;
    const compiled = await compileIssue(parseIssue(data), { publicUrl: PUBLIC_URL });
    expect(compiled.html).toContain(readMore);
    expect(compiled.html).toContain(month);
    expect(compiled.text).toContain(readMore);
  });

  it('words the footer of a zh issue in Chinese: unsubscribe, why received, view in browser', async () => {
    const data = issue201Json();
    data.locale = 'zh';
    const compiled = await compileIssue(parseIssue(data), { publicUrl: PUBLIC_URL });
    for (const words of ['退订', '您收到这封邮件，是因为您订阅了本简报。', '在浏览器中查看']) {
      expect(compiled.html).toContain(words);
      expect(compiled.text).toContain(words);
    }
    expect(compiled.html).not.toContain('配信停止');
    // Simplified Chinese faces come before the Japanese ones, which would draw shared characters their way.
    expect(compiled.html).toContain('font-family:&#x27;PingFang SC&#x27;');
    expect(compiled.html.indexOf('PingFang SC')).toBeLessThan(
      compiled.html.indexOf('Hiragino Kaku Gothic ProN'),
    );
  });
});

describe('lint', () => {
  it('warns about http links and images, missing width and alt, long subjects and missing preheaders', async () => {
    const data = issue201Json();
    data.subject = 'あ'.repeat(81);
    delete data.preheader;
    data.sections[0].articles[0].url = 'http://example.org/plain';
    data.photo.image = { src: 'http://example.org/p.jpg', alt: '' };
    const issue = parseIssue(data);
    const compiled = await compileIssue(issue, { publicUrl: PUBLIC_URL });
    const found = lintIssue(issue, compiled.html).map((w) => `${w.code} ${w.path ?? ''}`);
    expect(found).toEqual([
      'subject subject',
      'preheader preheader',
      'http sections[0].articles[0].url',
      'alt photo.image.alt',
      'width photo.image.width',
      'http photo.image.src',
    ]);
  });

  it('warns when the HTML nears and passes Gmail clipping', () => {
    const issue = parseIssue(issue201Json());
    expect(lintIssue(issue, 'x'.repeat(95 * 1024)).map((w) => w.message)).toEqual([
      "HTML is 95.0 KB: close to Gmail's 102 KB clipping limit",
    ]);
    expect(lintIssue(issue, 'x'.repeat(103 * 1024)).map((w) => w.message)).toEqual([
      'HTML is 103.0 KB: Gmail clips messages over 102 KB',
    ]);
  });
});
