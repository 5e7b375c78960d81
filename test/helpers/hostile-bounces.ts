import { TEXT_RULES } from '../../src/bounces/classify/rules.ts';

/** A crafted message and what it is meant to stress. */
export interface HostileMessage {
  name: string;
  raw: string;
}

/** Headers of a message that claims to be a bounce, so the classifier reads all of it. */
const HEAD = [
  'From: Mail Delivery System <MAILER-DAEMON@mx.example>',
  'To: bounces@bounce.gazette.test',
  'Subject: Undelivered Mail Returned to Sender',
  'Message-ID: <hostile@mx.example>',
  'MIME-Version: 1.0',
].join('\r\n');

/** `text` as quoted-printable: each line of it one encoded line, with soft breaks every 73 characters at most. */
export function quotedPrintable(text: string): string {
  return text
    .split('\n')
    .map((line) => {
      const encoded = line.replace(/=|\P{ASCII}/gu, (c) =>
        [...Buffer.from(c)].map((b) => `=${b.toString(16).toUpperCase().padStart(2, '0')}`).join(''),
      );
      const out: string[] = [];
      for (let i = 0; i < encoded.length; ) {
        let end = Math.min(i + 73, encoded.length);
        // Never split an =XX escape across a soft break.
        if (encoded[end - 1] === '=') end -= 1;
        else if (encoded[end - 2] === '=') end -= 2;
        out.push(encoded.slice(i, end));
        i = end;
      }
      return out.join('=\r\n');
    })
    .join('\r\n');
}

/** A bounce-looking message whose text/plain body is `body`, sent quoted-printable (one decoded line per line). */
export function textBounce(body: string): string {
  return `${HEAD}\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n${quotedPrintable(body)}\r\n`;
}

/**
 * Issue 17's attack: about 260 KB to `bounces@` whose quoted-printable body decodes to one line of
 * 200,000 characters that an address pattern can start at everywhere and finish nowhere.
 */
export function longQuotedPrintableLine(): string {
  return textBounce('abcdefg='.repeat(25_000));
}

/** A multipart/report whose human part is `human` and whose DSN part is `dsn`. */
export function reportBounce(human: string, dsn: string): string {
  return [
    HEAD,
    'Content-Type: multipart/report; report-type=delivery-status; boundary="b1"',
    '',
    '--b1',
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: quoted-printable',
    '',
    quotedPrintable(human),
    '--b1',
    'Content-Type: message/delivery-status',
    '',
    dsn,
    '--b1--',
    '',
  ].join('\r\n');
}

const DSN_ONE =
  'Reporting-MTA: dns; mx.example\r\n\r\nFinal-Recipient: rfc822; gone@example.org\r\nAction: failed\r\nStatus: 5.0.0\r\n';

/** A DSN whose only recipient is "user unknown" with no confirming status, so every evidence pattern reads `human`. */
function unknownUser(human: string): string {
  return reportBounce(human, `${DSN_ONE}Diagnostic-Code: smtp; 550 user unknown\r\n`);
}

/** Every literal word of a rule's pattern, in order: text that starts many partial matches. */
export function wordsOf(pattern: RegExp): string {
  return (pattern.source.match(/[A-Za-z][A-Za-z'-]+|\P{ASCII}+/gu) ?? []).join(' ');
}

/** `unit` repeated to about `size` bytes once quoted-printable (a non-ASCII character takes 6 to 9). */
function fill(unit: string, size: number): string {
  return unit.repeat(Math.max(1, Math.ceil(size / quotedPrintable(unit).length)));
}

/**
 * Messages made to cost a backtracking classifier the most, each within the receiver's unsigned
 * limit (256 KB): long lines, many lines, deep and wide MIME, huge headers, many recipients, and
 * each text rule's own words repeated on one line, in the human text and in a DSN's diagnostic.
 */
export function hostileMessages(size = 200_000): HostileMessage[] {
  const lines = (unit: string) => fill(unit, size);
  const out: HostileMessage[] = [
    { name: 'issue 17: one 200,000-character quoted-printable line', raw: longQuotedPrintableLine() },
    { name: 'long line: local-part characters', raw: textBounce(fill('a', size)) },
    { name: 'long line: dots and letters', raw: textBounce(fill('a.', size)) },
    { name: 'long line: digits', raw: textBounce(fill('5', size)) },
    { name: 'long line: at signs', raw: textBounce(fill('a@', size)) },
    { name: 'long line: domains without an at', raw: textBounce(fill('@a.b', size)) },
    { name: 'long line: addresses without spaces', raw: textBounce(fill('<a@b.cd>', size)) },
    { name: 'long line: spaces', raw: textBounce(`x${fill(' ', size)}x`) },
    { name: 'long line: reply codes', raw: textBounce(fill('550 5.1.1 ', size)) },
    { name: 'long line: Exchange codes', raw: textBounce(fill('MSEXCH:(', size)) },
    { name: 'long line: local delivery agents', raw: textBounce(fill('procmail: ', size)) },
    { name: 'long line: user words', raw: textBounce(fill('user mailbox account ', size)) },
    { name: 'long line: transcript', raw: textBounce(fill('>>> RCPT TO:<a@b.c> <<< ', size)) },
    // The rules written by MTA family (issue 21): each phrase repeated along one line, so that a rule
    // that scans from every occurrence to the line's end would cost the square of the line.
    { name: 'long line: Gmail states', raw: textBounce(fill('(state 14) (state 18) ', size)) },
    { name: 'long line: MessageLabs 542', raw: textBounce(fill('542 a.b ', size)) },
    { name: 'long line: host does not exist', raw: textBounce(fill('; 550 a.b-c.d ', size)) },
    { name: 'long line: no account here', raw: textBounce(fill('user does not have a a.b.c ', size)) },
    { name: 'long line: provider codes', raw: textBounce(fill('OFR_506 LPN007_510 TSS04 ', size)) },
    { name: 'long line: remote MTA fields', raw: textBounce(fill('Remote-MTA: dns; ', size)) },
    // The phrases read by meaning (a noun, an address or words, then the verdict): each start tries a few words only.
    { name: 'long line: nouns before a verdict', raw: textBounce(fill('user mailbox a.b rcpt (c) ', size)) },
    { name: 'long line: addresses not found', raw: textBounce(fill('<a@b.c> user <d@e.f> ', size)) },
    { name: 'long line: quotas and scores', raw: textBounce(fill('disk quota score (1.2) over ', size)) },
    { name: 'many lines: blank', raw: textBounce(lines('\n')) },
    { name: 'many lines: white space', raw: textBounce(lines(' \t\n')) },
    { name: 'many lines: one address each', raw: textBounce(lines('a@b.cd\n')) },
    { name: 'many lines: distinct addresses', raw: textBounce(manyAddresses(size)) },
    { name: 'many lines: transcript', raw: textBounce(lines('>>> RCPT TO:<a@b.c>\n')) },
    { name: 'many lines: reply lines', raw: textBounce(lines('550-5.1.1 user unknown\n')) },
    { name: 'many lines: fields', raw: textBounce(lines('Final-Recipient: rfc822; a@b.cd\n')) },
    { name: 'many lines: start markers', raw: textBounce(lines('The following address(es) failed:\n')) },
    { name: 'DSN: many recipients', raw: reportBounce('Delivery failed.', manyDsnRecipients(size)) },
    {
      name: 'DSN: many recipient groups with no blank lines, every field indented',
      raw: reportBounce('', lines('  Final-Recipient: rfc822; a@b.cd\r\n  Action: failed\r\n')),
    },
    {
      name: 'text: a long list of addresses, then long words they all share',
      raw: textBounce(
        `${manyAddresses(size / 4)}\n\n${fill(`${'550 5.1.1 user unknown '.repeat(40)}\n`, (size * 3) / 4)}`,
      ),
    },
    {
      name: 'DSN: long diagnostic',
      raw: reportBounce('', `${DSN_ONE}Diagnostic-Code: smtp; ${fill('a ', size)}\r\n`),
    },
    {
      name: 'DSN: long folded diagnostic',
      raw: reportBounce('', `${DSN_ONE}Diagnostic-Code: smtp; x\r\n${lines(' a.\r\n')}`),
    },
    {
      name: 'DSN: long human text about the recipient',
      raw: reportBounce(fill('gone@example.org ', size), DSN_ONE),
    },
    {
      name: 'DSN: many recipients and a long human text',
      raw: reportBounce(fill('Delivery failed: user unknown\n', size / 2), manyDsnRecipients(size / 2)),
    },
    {
      name: 'text: many failures after a long preamble',
      raw: textBounce(`${fill('user unknown, mailbox full\n', size / 2)}${manyAddresses(size / 2)}`),
    },
    {
      name: 'evidence: blank lines before a transcript',
      raw: unknownUser(`${lines('\n')}>>> RCPT TO:<a@b.cd>`),
    },
    { name: 'evidence: white space lines', raw: unknownUser(lines(' \t\n')) },
    { name: 'evidence: local delivery agents', raw: unknownUser(fill('procmail: ', size)) },
    { name: 'evidence: Exchange codes', raw: unknownUser(fill('MSEXCH:(', size)) },
    { name: 'evidence: status lines', raw: unknownUser(lines('Status: \n')) },
    {
      name: 'DSN: a recipient of many dots',
      raw: reportBounce('', DSN_ONE.replace('gone@example.org', `a@${fill('.a', 4000)}<`)),
    },
    {
      name: 'DSN: a recipient of trailing marks',
      raw: reportBounce('', DSN_ONE.replace('gone@example.org', `a@b.c${fill('. ;', 4000)}x`)),
    },
    { name: 'MIME: deep nesting', raw: deepMime(size) },
    { name: 'MIME: many parts', raw: wideMime(size) },
    { name: 'MIME: many DSN parts', raw: manyDsnParts(size) },
    {
      name: 'headers: one huge subject',
      raw: `${HEAD.replace('Subject: ', `Subject: ${fill('Undelivered ', size)}`)}\r\n\r\nx\r\n`,
    },
    { name: 'headers: many headers', raw: `${HEAD}\r\n${lines('X-A: a\r\n')}\r\nx\r\n` },
    {
      name: 'headers: a Return-Path of spaces',
      raw: `${HEAD}\r\nReturn-Path: <${' '.repeat(60_000)}x\r\n\r\nx\r\n`,
    },
    { name: 'headers: long folded header', raw: `${HEAD}\r\nX-Long: a\r\n${lines(' a\r\n')}\r\nx\r\n` },
    {
      name: 'headers: many To addresses',
      raw: `${HEAD}\r\nCc: ${manyAddresses(size).split('\n').join(', ')}\r\n\r\nx\r\n`,
    },
    {
      name: 'headers: many X-Failed-Recipients',
      raw: `${HEAD}\r\nX-Failed-Recipients: ${manyAddresses(size).split('\n').join(',')}\r\n\r\nx\r\n`,
    },
    { name: 'HTML: unclosed tags', raw: htmlBounce(fill('<p <b ', size)) },
    { name: 'HTML: entities', raw: htmlBounce(fill('&#1;&lt', size)) },
    { name: 'SES: unclosed JSON', raw: textBounce(`{"notificationType":${fill('{"a":"\\"', size)}`) },
    { name: 'feedback report: many recipients', raw: feedbackReport(size) },
  ];
  for (const rule of TEXT_RULES) {
    const words = wordsOf(rule.pattern);
    out.push({ name: `rule ${rule.id}: its words on one line`, raw: textBounce(fill(`${words} `, size)) });
    out.push({
      name: `rule ${rule.id}: its words without spaces`,
      raw: textBounce(fill(words.replace(/ /g, ''), size)),
    });
    out.push({
      name: `rule ${rule.id}: its words in a DSN diagnostic`,
      raw: reportBounce('', `${DSN_ONE}Diagnostic-Code: smtp; 550 ${fill(`${words} `, size / 2)}\r\n`),
    });
  }
  return out;
}

function manyAddresses(size: number): string {
  const out: string[] = [];
  for (let i = 0, n = 0; n < size; i++) {
    const line = `reader${i}@example${i % 97}.org`;
    out.push(line);
    n += line.length + 1;
  }
  return out.join('\n');
}

function manyDsnRecipients(size: number): string {
  const groups = ['Reporting-MTA: dns; mx.example'];
  for (let i = 0, n = 0; n < size; i++) {
    const group = `Final-Recipient: rfc822; r${i}@example.org\r\nAction: failed\r\nStatus: 5.1.1\r\nDiagnostic-Code: smtp; 550 5.1.1 user unknown`;
    groups.push(group);
    n += group.length + 4;
  }
  return groups.join('\r\n\r\n');
}

function deepMime(size: number): string {
  const depth = Math.floor(size / 80);
  const open: string[] = [];
  const close: string[] = [];
  for (let i = 0; i < depth; i++) {
    open.push(`Content-Type: multipart/mixed; boundary="d${i}"\r\n\r\n--d${i}`);
    close.unshift(`--d${i}--`);
  }
  return `${HEAD}\r\n${open.join('\r\n')}\r\nContent-Type: text/plain\r\n\r\nx\r\n${close.join('\r\n')}\r\n`;
}

function wideMime(size: number): string {
  const part = '--w\r\nContent-Type: text/plain\r\n\r\nI could not deliver your message to a@b.cd\r\n';
  return `${HEAD}\r\nContent-Type: multipart/mixed; boundary="w"\r\n\r\n${fill(part, size)}--w--\r\n`;
}

function manyDsnParts(size: number): string {
  const part = `--r\r\nContent-Type: message/delivery-status\r\n\r\n${DSN_ONE}\r\n`;
  return `${HEAD}\r\nContent-Type: multipart/report; report-type=delivery-status; boundary="r"\r\n\r\n${fill(part, size)}--r--\r\n`;
}

function htmlBounce(html: string): string {
  return `${HEAD}\r\nContent-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n${quotedPrintable(html)}\r\n`;
}

function feedbackReport(size: number): string {
  const fields = fill('Original-Rcpt-To: a@b.cd\r\n', size / 2);
  return [
    HEAD,
    'Content-Type: multipart/report; report-type=feedback-report; boundary="f"',
    '',
    '--f',
    'Content-Type: message/feedback-report',
    '',
    `Feedback-Type: abuse\r\n${fields}`,
    '--f',
    'Content-Type: text/rfc822-headers',
    '',
    `To: ${fill('a@b.cd, ', size / 2)}`,
    '--f--',
    '',
  ].join('\r\n');
}
