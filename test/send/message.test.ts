import { simpleParser } from 'mailparser';
import { describe, expect, it } from 'vitest';
import { PLACEHOLDER } from '../../src/compose/compiled.ts';
import { personalize, slotValues } from '../../src/compose/personalize.ts';
import { compileIssue } from '../../src/compose/render.ts';
import { loadIssue } from '../../src/issue/load.ts';
import {
  buildMessageTemplate,
  type MessageRecipient,
  renderMessage,
} from '../../src/send/message/message-template.ts';
import { sampleCompiled } from '../helpers/compiled.ts';

const compiled = sampleCompiled();
const tpl = buildMessageTemplate(compiled, {
  from: 'Gazette Desk <news@gazette.example>',
  list: 'monthly',
  sendId: 'sabc123',
});

function recipient(name: string | undefined, email = 'reader@example.org'): MessageRecipient {
  const unsubscribeUrl = 'https://gazette.example/u/7.sabc123.0.0123456789abcdef01234567';
  return {
    email,
    name,
    messageId: 'sabc123.7@gazette.example',
    unsubscribeUrl,
    unsubscribeMailto: 'mailto:unsubscribe+7.sabc123.0.0123456789abcdef01234567@bounce.example',
    returnPath: 'bounces+sabc123.7.0.0123456789abcdef01234567@bounce.example',
    slots: slotValues(compiled, {
      unsubscribeUrl,
      webUrl: 'https://gazette.example/archive/201?a=1&b=2',
      name,
    }),
  };
}

/** The body we expect after decoding: the placeholders replaced by hand, with the parser's LF line ends. */
function expectedText(name: string): string {
  return compiled.text
    .replaceAll(PLACEHOLDER.greeting, `${name}さん、こんにちは`)
    .replaceAll(PLACEHOLDER.webUrl, 'https://gazette.example/archive/201?a=1&b=2')
    .replaceAll(PLACEHOLDER.unsubscribeUrl, 'https://gazette.example/u/7.sabc123.0.0123456789abcdef01234567');
}

function headerBlock(raw: Buffer): string {
  const text = raw.toString('latin1');
  return text.slice(0, text.indexOf('\r\n\r\n') + 2);
}

describe('renderMessage', () => {
  it('gives a valid multipart/alternative message whose parts decode to the personalised issue', async () => {
    const msg = renderMessage(tpl, recipient('김민수'));
    const parsed = await simpleParser(msg.raw);
    expect(parsed.text?.replace(/\n+$/, '')).toBe(expectedText('김민수').replace(/\n+$/, ''));
    expect(parsed.html).toContain('<p class="greeting">김민수さん、こんにちは</p>');
    expect(parsed.html).toContain('href="https://gazette.example/archive/201?a=1&amp;b=2"');
    expect(parsed.html).toContain('.dot at the start of a line');
    expect(parsed.html).not.toContain('%%GZ_');
    expect(parsed.subject).toBe('I · SEOUL · U No.201 — 11月号');
    expect(parsed.to).toMatchObject({ value: [{ name: '김민수', address: 'reader@example.org' }] });
    expect(parsed.from).toMatchObject({ value: [{ name: 'Gazette Desk', address: 'news@gazette.example' }] });
    expect(parsed.messageId).toBe('<sabc123.7@gazette.example>');
    expect(parsed.date?.getTime()).toBeGreaterThan(Date.now() - 5000);
    expect(msg.envelope).toEqual({
      from: 'bounces+sabc123.7.0.0123456789abcdef01234567@bounce.example',
      to: ['reader@example.org'],
    });
  });

  it('decodes to exactly what the composer personalises, for issue No.201 and an awkward name', async () => {
    const issue201 = await compileIssue(await loadIssue('issues/201.json'), {
      publicUrl: 'https://gz.example',
    });
    const tpl201 = buildMessageTemplate(issue201, {
      from: 'Gazette <n@gz.example>',
      list: 'ja',
      sendId: 's1',
    });
    const values = {
      unsubscribeUrl: 'https://gz.example/u/1.s1.0.0123456789abcdef01234567',
      webUrl: 'https://gz.example/archive/201',
      name: '<b>Kim & Lee</b> 김',
    };
    const r = { ...recipient(values.name), slots: slotValues(issue201, values) };
    const parsed = await simpleParser(renderMessage(tpl201, r).raw);
    const expected = personalize(issue201, values);
    expect(parsed.html).toBe(expected.html.replace(/\r?\n/g, '\n'));
    expect(parsed.text?.trimEnd()).toBe(expected.text.replace(/\r?\n/g, '\n').trimEnd());
  });

  it('carries the list headers of RFC 2369, 2919 and 8058 and a Feedback-ID', async () => {
    const parsed = await simpleParser(renderMessage(tpl, recipient('Ann')).raw);
    const h = parsed.headers;
    const line = (key: string) => parsed.headerLines.find((l) => l.key === key)?.line;
    expect(line('list-unsubscribe-post')).toBe('List-Unsubscribe-Post: List-Unsubscribe=One-Click');
    expect(parsed.headerLines.find((l) => l.key === 'list-unsubscribe')?.line.replace(/\r\n /g, ' ')).toBe(
      'List-Unsubscribe: <https://gazette.example/u/7.sabc123.0.0123456789abcdef01234567>, ' +
        '<mailto:unsubscribe+7.sabc123.0.0123456789abcdef01234567@bounce.example>',
    );
    expect(parsed.headerLines.find((l) => l.key === 'list-id')?.line).toBe(
      'List-Id: monthly <monthly.gazette.example>',
    );
    expect(h.get('feedback-id')).toBe('sabc123:monthly:gazette:gazette-example');
    expect(h.get('mime-version')).toBe('1.0');
  });

  it('keeps every line within 78 characters, but an unbreakable URL, and uses CRLF only', () => {
    const raw = renderMessage(tpl, recipient('A very long name '.repeat(8))).raw.toString('latin1');
    expect(raw).not.toMatch(/[^\r]\n|\r[^\n]/);
    const long = raw.split('\r\n').filter((l) => l.length > 78);
    expect(long).toEqual([expect.stringMatching(/^List-Unsubscribe: <https:\S+>,$/)]);
  });

  it('cannot be made to carry extra headers by a name with CR/LF', async () => {
    const evil = 'Eve\r\nBcc: victim@example.net\r\n\r\n<b>body</b>';
    const msg = renderMessage(tpl, recipient(evil));
    const head = headerBlock(msg.raw);
    expect(head).not.toMatch(/^Bcc:/im);
    const parsed = await simpleParser(msg.raw);
    expect(parsed.headers.has('bcc')).toBe(false);
    expect(parsed.to).toMatchObject({ value: [{ name: 'Eve Bcc: victim@example.net <b>body</b>' }] });
    expect(parsed.html).toContain('Eve Bcc: victim@example.net &lt;b&gt;body&lt;/b&gt;さん');
    expect(parsed.html).not.toContain('<b>body</b>');
    expect(msg.envelope.to).toEqual(['reader@example.org']);
  });

  it('refuses an address that could inject into the envelope or a header', () => {
    for (const email of [
      'a@b.c\r\nRCPT TO:<x@y.z>',
      'a b@c.d',
      '<a@b.c>',
      'a@b..c',
      'é@b.c',
      'a@b.c>x',
      'a,b@c.d',
    ]) {
      expect(() => renderMessage(tpl, recipient('x', email))).toThrow(/not a usable address/);
    }
  });

  it('costs a few microseconds per recipient', () => {
    const r = recipient('김민수');
    for (let i = 0; i < 2000; i++) renderMessage(tpl, r);
    const n = 20_000;
    const start = process.hrtime.bigint();
    for (let i = 0; i < n; i++) renderMessage(tpl, r);
    const micros = Number(process.hrtime.bigint() - start) / 1000 / n;
    // Generous bound for a shared 2-core machine; the bench measures the real figure.
    expect(micros).toBeLessThan(100);
  });
});
