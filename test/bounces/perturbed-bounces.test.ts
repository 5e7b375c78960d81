import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type BounceResult, classifyBounce } from '../../src/bounces/classify/classifier-api.ts';

// The same bounce as it reaches us through other relays and mailboxes must get the same verdict: real bounces
// from the corpus (test/fixtures/bounce-corpus), changed the way a relay or a reader changes them.
const EML = join(import.meta.dirname, '../fixtures/bounce-corpus/eml');

const verdicts = (results: BounceResult[]) =>
  results.map((r) => [r.recipient.toLowerCase(), r.kind, r.reason]);
/** A corpus file as latin1 text with LF line ends, so that 8-bit bytes come back unchanged. */
const corpus = (file: string) => readFileSync(join(EML, file)).toString('latin1').replace(/\r\n?/g, '\n');
const classify = (text: string) => classifyBounce(Buffer.from(text, 'latin1'));

/** White space after every line that has any (RFC 2045 §6.7 and RFC 2046 §5.1.1 let a relay add it). */
const padded = (text: string) => text.replace(/(?<=\S)$/gm, ' \t');
/** The DSN's recipient and diagnostic fields folded after their type ("rfc822;", "smtp;"). */
const folded = (text: string) =>
  text.replace(
    /^((?:Final|Original)-Recipient|Diagnostic-Code):[ \t]*([^;\n]{1,20};)[ \t]*/gim,
    '$1: $2\n\t',
  );
const crlf = (text: string) => text.replace(/\n/g, '\r\n');
/** The bounce forwarded by the person it came back to, as an attachment. */
const forwarded = (text: string) =>
  [
    'From: Hanako Yamada <hanako@mailbox.example>',
    'To: desk@gazette.example',
    'Subject: Fwd: this came back',
    'MIME-Version: 1.0',
    'Content-Type: multipart/mixed; boundary="fwd-1"',
    '',
    '--fwd-1',
    'Content-Type: text/plain; charset=utf-8',
    '',
    'My newsletter came back from this address, could you look?',
    '',
    '--fwd-1',
    'Content-Type: message/rfc822',
    'Content-Disposition: attachment; filename="returned.eml"',
    '',
    text.replace(/\n+$/, ''),
    '--fwd-1--',
    '',
  ].join('\n');

const CASES: [string, (text: string) => string, string[]][] = [
  // Postfix's and SES's DSN fields read whole however they are folded: an Original-Recipient folded after its
  // "rfc822;" is the same recipient as the Final-Recipient above it, not a second one.
  [
    'folded DSN fields',
    folded,
    ['lhost-receivingses-01.eml', 'lhost-receivingses-03.eml', 'lhost-postfix-01.eml'],
  ],
  // Padding after a boundary and after a quoted-printable soft line break; a Sendmail transcript line read to its end.
  [
    'white space at line ends',
    padded,
    ['lhost-amazonworkmail-02.eml', 'lhost-sendmail-56.eml', 'lhost-sendmail-41.eml', 'lhost-postfix-64.eml'],
  ],
  // What a reader forwards is read as if it had come on its own: SES's JSON, a carrier's notice from a no-reply
  // address, a list server's notice, a bounce with a null envelope sender, an earlier forward.
  [
    'forwarded as an attachment',
    forwarded,
    [
      'lhost-amazonses-09.eml',
      'lhost-kddi-01.eml',
      'lhost-fml-02.eml',
      'lhost-verizon-01.eml',
      'lhost-mfilter-03.eml',
      'lhost-sendmail-14.eml',
    ],
  ],
  ['CRLF line ends, folded and padded', (t) => crlf(padded(folded(t))), ['lhost-receivingses-02.eml']],
];

describe('a bounce changed in transport keeps its verdict', () => {
  for (const [change, perturb, files] of CASES) {
    it.each(files)(`${change}: %s`, async (file) => {
      const text = corpus(file);
      const before = verdicts(await classify(text));
      expect(before.length).toBeGreaterThan(0);
      const changed = perturb(text);
      expect(changed).not.toBe(text);
      expect(verdicts(await classify(changed))).toEqual(before);
    });
  }
});

describe('a forwarded message that is no bounce', () => {
  it('gives nothing when a reader forwards our issue itself', async () => {
    const issue = [
      'Return-Path: <bounces+r1@gazette.example>',
      'From: Gazette <news@gazette.example>',
      'To: hanako@mailbox.example',
      'Subject: Spring issue',
      'Content-Type: text/plain; charset=utf-8',
      '',
      'Hello hanako@mailbox.example, our spring issue is out.',
      '',
    ].join('\n');
    expect(await classify(forwarded(issue))).toEqual([]);
  });

  it('reads a DSN whose recipient fields are folded, and its Original-Recipient as the address', async () => {
    const dsn = [
      'From: MAILER-DAEMON@mx.example.org',
      'To: bounces@gazette.example',
      'Subject: Undelivered Mail Returned to Sender',
      'MIME-Version: 1.0',
      'Content-Type: multipart/report; report-type=delivery-status; boundary="R"',
      '',
      '--R',
      'Content-Type: text/plain',
      '',
      'Your message could not be delivered.',
      '--R',
      'Content-Type: message/delivery-status',
      '',
      'Reporting-MTA: dns; mx.example.org',
      '',
      'Action: failed',
      'Final-Recipient: rfc822;',
      '  alias@example.org',
      'Original-Recipient: rfc822;',
      '  alias@example.org',
      'Status: 5.2.2',
      'Diagnostic-Code: smtp; 552 5.2.2 Mailbox',
      '  full',
      '--R--',
      '',
    ].join('\n');
    expect(verdicts(await classify(dsn))).toEqual([['alias@example.org', 'soft', 'mailbox_full']]);
  });
});
