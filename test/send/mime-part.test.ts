import { describe, expect, it } from 'vitest';
import { parseSendTime } from '../../src/send/control/send-time.ts';
import { compilePart, renderPart } from '../../src/send/message/mime-part.ts';

const MARKERS = { a: '%%A%%', b: '%%B%%' };

function decode(encoding: string, text: string): string {
  if (encoding === 'base64') return Buffer.from(text.replace(/\r\n/g, ''), 'base64').toString('utf8');
  const bytes = text
    .replace(/=\r\n/g, '')
    .replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
  return Buffer.from(bytes, 'latin1').toString('utf8');
}

/** A deterministic pseudo-random generator, so a failure can be replayed. */
function rng(seed: number) {
  let s = seed;
  return (n: number) => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s % n;
  };
}

const WORDS = [
  'Seoul',
  'ソウル',
  '서울',
  ' ',
  '\n',
  '.',
  '=',
  '  ',
  'x'.repeat(90),
  '=?',
  '\t',
  '…',
  '%%',
  'a',
];

describe('compilePart / renderPart', () => {
  it('decodes to the body with the values spliced in, for random bodies, markers and values', () => {
    const next = rng(7);
    for (let round = 0; round < 400; round++) {
      const words = Array.from({ length: next(40) }, () => WORDS[next(WORDS.length)] as string);
      // Mostly ASCII bodies give quoted-printable, mostly Japanese/Korean ones base64: both get tested.
      const heavy = round % 2 === 0 ? 'ソウル市のニュース'.repeat(next(30)) : '';
      const parts = [heavy, ...words];
      for (let k = next(5); k > 0; k--)
        parts.splice(next(parts.length + 1), 0, next(2) ? MARKERS.a : MARKERS.b);
      const body = parts.join('');
      const part = compilePart(body, MARKERS);
      const values = {
        a: ['', 'https://x.test/u/1.s.0.abc', 'Kim 김민수 =?', '='][next(4)] as string,
        b: 'é'.repeat(next(5)),
      };
      const out: Buffer[] = [];
      renderPart(part, values, out);
      const encoded = Buffer.concat(out).toString('latin1');
      const expected = body
        .replaceAll(MARKERS.a, values.a)
        .replaceAll(MARKERS.b, values.b)
        .replace(/\r?\n/g, '\r\n');
      expect(decode(part.encoding, encoded)).toBe(expected);
      for (const line of encoded.split('\r\n')) expect(line.length).toBeLessThanOrEqual(76);
    }
  });

  it('picks quoted-printable for mostly ASCII and base64 for mostly CJK text', () => {
    expect(compilePart('<p>Hello %%A%%</p>'.repeat(50), MARKERS).encoding).toBe('quoted-printable');
    expect(compilePart('ソウルのニュース %%A%%'.repeat(50), MARKERS).encoding).toBe('base64');
  });
});

describe('parseSendTime', () => {
  const now = Date.parse('2026-11-20T00:00:00Z');
  it('reads a time without offset in TZ_DEFAULT and one with an offset as given', () => {
    expect(parseSendTime('2026-12-01T09:00', 'Asia/Seoul', now)).toBe(Date.parse('2026-12-01T00:00:00Z'));
    expect(parseSendTime('2026-12-01T09:00+01:00', 'Asia/Seoul', now)).toBe(
      Date.parse('2026-12-01T08:00:00Z'),
    );
    expect(parseSendTime('2026-12-01T09:00Z', 'Asia/Seoul', now)).toBe(Date.parse('2026-12-01T09:00:00Z'));
    expect(parseSendTime(undefined, 'Asia/Seoul', now)).toBe(now);
  });

  it('refuses text that is not a time, and a time in the past, with a sentence', () => {
    expect(() => parseSendTime('next monday', 'Asia/Seoul', now)).toThrow(
      '--at "next monday" is not a time Gazette can read; use ISO-8601 such as 2026-12-01T09:00 (read in Asia/Seoul) or 2026-12-01T09:00+09:00.',
    );
    expect(() => parseSendTime('2026-11-19T09:00', 'Asia/Seoul', now)).toThrow(
      '--at 2026-11-19 09:00:00 Asia/Seoul is in the past (it is now 2026-11-20 09:00:00 Asia/Seoul); give a later time, or leave --at out to send now.',
    );
  });
});
