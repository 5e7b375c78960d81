import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { signDkim } from '../../src/send/message/dkim-sign.ts';
import { verifyDkim } from '../helpers/dkim-verify.ts';

const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const key = { domain: 'gazette.test', selector: 'mail2026', privateKey };

/** A short message without List-Unsubscribe (as a hand-made one may be), its body with loose whitespace. */
const raw = Buffer.from(
  [
    'From: Gazette <news@gazette.test>',
    'To: Kim <kim@example.org>',
    'Subject: =?UTF-8?B?7ISc7Jq4?=',
    'Date: Tue, 01 Dec 2026 00:00:00 +0000',
    'Message-ID: <s1.1@gazette.test>',
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    '',
    'Hello  Kim,\t ',
    '',
    '',
  ].join('\r\n'),
);

describe('signDkim', () => {
  it('signs a message that verifies, in lines a mail client keeps (at most 78 characters)', () => {
    const signed = signDkim(raw, key);
    expect(signed.subarray(signed.length - raw.length).equals(raw)).toBe(true);
    expect(verifyDkim(signed, publicKey)).toMatchObject({
      bodyHashOk: true,
      signatureOk: true,
      domain: 'gazette.test',
      selector: 'mail2026',
    });
    const head = signed.toString('latin1').split('\r\n\r\n')[0] as string;
    expect(Math.max(...head.split('\r\n').map((l) => l.length))).toBeLessThanOrEqual(78);
    expect(head).not.toMatch(/[ \t]\r\n/);
  });

  it('names an absent List-Unsubscribe once, so that one added later breaks the signature', () => {
    const signed = signDkim(raw, key);
    expect(verifyDkim(signed, publicKey).signed.filter((n) => n === 'list-unsubscribe')).toEqual([
      'list-unsubscribe',
    ]);
    for (const at of ['top', 'bottom']) {
      const text = signed.toString('latin1');
      const field = 'List-Unsubscribe: <https://attacker.example/u>\r\n';
      const forged = at === 'top' ? field + text : text.replace('\r\n\r\n', `\r\n${field}\r\n`);
      expect(verifyDkim(Buffer.from(forged, 'latin1'), publicKey).signatureOk, at).toBe(false);
    }
  });

  it('keeps verifying when a relay re-spaces the body or adds a trace field', () => {
    const signed = signDkim(raw, key).toString('latin1');
    const relayed = `Received: from relay.example.net\r\n${signed.replace('Hello  Kim,\t ', 'Hello Kim,')}\r\n\r\n`;
    expect(verifyDkim(Buffer.from(relayed, 'latin1'), publicKey)).toMatchObject({
      bodyHashOk: true,
      signatureOk: true,
    });
  });
});
