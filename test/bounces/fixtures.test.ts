import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  BounceKind,
  BounceReason,
  BounceResult,
  classifyBounce,
} from '../../src/bounces/classify/classifier-api.ts';

const DIR = join(import.meta.dirname, '../fixtures/bounces');

/** expected.json: for every fixture, what it exercises and the results it must give, in order. */
const Expected = z.record(
  z.string().regex(/\.eml$/),
  z.object({
    about: z.string().min(1),
    results: z.array(
      z.object({ recipient: z.string(), reason: BounceReason, kind: BounceKind, status: z.string() }),
    ),
  }),
);
const expected = Expected.parse(JSON.parse(readFileSync(join(DIR, 'expected.json'), 'utf8')));
const files = readdirSync(DIR)
  .filter((f) => f.endsWith('.eml'))
  .sort();
const bytes = (file: string) => readFileSync(join(DIR, file));

describe('bounce fixtures', () => {
  it('has an expectation for every fixture and a fixture for every expectation', () => {
    expect(Object.keys(expected).sort()).toEqual(files);
    expect(files.length).toBeGreaterThanOrEqual(40);
  });

  it.each(files)('%s', async (file) => {
    const results = await classifyBounce(bytes(file));
    for (const r of results) expect(BounceResult.parse(r)).toEqual(r);
    expect(
      results.map(({ recipient, reason, kind, status }) => ({ recipient, reason, kind, status })),
    ).toEqual(expected[file]?.results);
  });
});

describe('the fixture set covers what the issue asks for', () => {
  const resultsOf = (file: string) => expected[file]?.results ?? [];

  it('has an ISO-2022-JP and a Shift_JIS carrier bounce in their real bytes', () => {
    const jis = bytes('docomo-user-unknown-iso2022jp.eml');
    expect(jis.includes(Buffer.from('\x1b$B', 'latin1'))).toBe(true);
    expect(jis.every((b) => b < 0x80)).toBe(true);
    // 受信拒否 ("reception refused") in Shift_JIS.
    expect(
      bytes('softbank-refused-shift-jis.eml').includes(
        Buffer.from([0x8e, 0xf3, 0x90, 0x4d, 0x8b, 0x91, 0x94, 0xdb]),
      ),
    ).toBe(true);
  });

  it('has CR-only and CRLF line ends', () => {
    const cr = bytes('exim-unrouteable-cr.eml');
    expect(cr.includes(0x0a)).toBe(false);
    expect(cr.includes(0x0d)).toBe(true);
    const crlf = bytes('postfix-mailbox-full-crlf.eml').toString('latin1');
    expect(crlf.split('\n').length - 1).toBe(crlf.split('\r\n').length - 1);
  });

  it('has a multi-recipient DSN with one hard and one soft failure', () => {
    expect(resultsOf('postfix-multi-recipient.eml').map((r) => r.kind)).toEqual(['hard', 'soft']);
  });

  it('keeps 5xx policy and blocklist rejections soft', () => {
    for (const file of [
      'sendmail-policy-5.7.1.eml',
      'postfix-spamhaus-554.eml',
      'outlook-blocklist-s3150.eml',
    ]) {
      const [result] = resultsOf(file);
      expect(result?.status).toMatch(/^5\./);
      expect(result?.kind).toBe('soft');
    }
  });

  it('gives nothing for auto-replies, vacation notices and ordinary mail', () => {
    for (const file of [
      'autoreply-exchange.eml',
      'vacation-notice.eml',
      'ordinary-reply.eml',
      'autoreply-japanese.eml',
    ]) {
      expect(resultsOf(file)).toEqual([]);
    }
  });

  it('turns an ARF report into a complaint', () => {
    expect(resultsOf('yahoo-complaint-arf.eml')).toEqual([
      { recipient: 'somi.kang@yahoo.com', reason: 'complaint', kind: 'complaint', status: '' },
    ]);
  });
});
