import { describe, expect, it } from 'vitest';
import { normalizeAddress } from '../../src/bounces/classify/address.ts';
import { parseFeedbackReport } from '../../src/bounces/classify/arf.ts';
import { classifyBounce } from '../../src/bounces/classify/classifier-api.ts';
import { parseDeliveryStatus } from '../../src/bounces/classify/dsn.ts';
import { findReplyCode, findStatus, normalizeDiagnostic } from '../../src/bounces/classify/smtp-text.ts';

describe('parseDeliveryStatus (RFC 3464)', () => {
  it('reads per-recipient groups, unfolds continued lines and prefers Original-Recipient', () => {
    const text = [
      'Reporting-MTA: dns; mx.example.net',
      'Original-Envelope-Id: s201.u1042',
      '',
      'Final-Recipient: rfc822; alice@internal.example.net',
      'Original-Recipient: rfc822;Alice@Example.NET',
      'Action: failed',
      'Status: 5.1.1 (bad destination mailbox)',
      'Diagnostic-Code: smtp; 550 5.1.1 <alice@example.net>:',
      '\tRecipient address rejected: User unknown',
      '',
      'Final-Recipient: rfc822; bob@example.net',
      'Action: delayed',
      'Status: 4.4.1',
    ].join('\r\n');
    expect(parseDeliveryStatus(text)).toEqual({
      envelopeId: 's201.u1042',
      reportingMta: 'mx.example.net',
      recipients: [
        {
          recipient: 'Alice@example.net',
          action: 'failed',
          status: '5.1.1',
          diagnostic: '550 5.1.1 <alice@example.net>: Recipient address rejected: User unknown',
          comment: 'bad destination mailbox',
        },
        { recipient: 'bob@example.net', action: 'delayed', status: '4.4.1', diagnostic: '', comment: '' },
      ],
    });
  });

  it('parses a DSN without a per-message group, takes the specific code from the diagnostic, infers the action', () => {
    const text =
      'Final-Recipient: rfc822;carol@example.org\nStatus: 5.0.0\nDiagnostic-Code: smtp; 550 5.2.1 disabled\n';
    expect(parseDeliveryStatus(text).recipients).toEqual([
      {
        recipient: 'carol@example.org',
        action: 'failed',
        status: '5.2.1',
        diagnostic: '550 5.2.1 disabled',
        comment: '',
      },
    ]);
  });

  it('falls back to the reply code class when there is no enhanced code, and skips groups without a recipient', () => {
    const text =
      'Reporting-MTA: dns; a\n\nFinal-Recipient: rfc822; not an address\nAction: failed\n\n' +
      'Final-Recipient: rfc822; dan@example.org\nAction: Failed\nDiagnostic-Code: smtp; 554 go away\n';
    expect(parseDeliveryStatus(text)).toEqual({
      envelopeId: '',
      reportingMta: 'a',
      recipients: [
        {
          recipient: 'dan@example.org',
          action: 'failed',
          status: '5.0.0',
          diagnostic: '554 go away',
          comment: '',
        },
      ],
    });
  });
});

describe('parseFeedbackReport (RFC 5965)', () => {
  it('takes Original-Rcpt-To, else Removal-Recipient, else the returned To header', () => {
    expect(
      parseFeedbackReport('Feedback-Type: abuse\nOriginal-Rcpt-To: <a@example.com>\n').recipients,
    ).toEqual(['a@example.com']);
    expect(
      parseFeedbackReport('Feedback-Type: abuse\nRemoval-Recipient: b@example.com\n').recipients,
    ).toEqual(['b@example.com']);
    const returned =
      'From: news@gazette.example\nTo: "Kim, Yuri" <yuri@example.com>\nSubject: x\n\nbody To: z@example.com';
    expect(parseFeedbackReport('Feedback-Type: fraud\n', returned)).toEqual({
      feedbackType: 'fraud',
      recipients: ['yuri@example.com'],
      reporter: '',
    });
  });

  it('reads a missing Feedback-Type as abuse', () => {
    expect(parseFeedbackReport('User-Agent: X/1\nOriginal-Rcpt-To: a@example.com\n').feedbackType).toBe(
      'abuse',
    );
  });
});

describe('text helpers', () => {
  it('finds enhanced status codes but not inside IP addresses or version numbers', () => {
    expect(findStatus('host 10.4.5.6 said: 550 5.1.1 unknown')).toBe('5.1.1');
    expect(findStatus('Postfix 3.5.6 at [192.0.2.5]')).toBe('');
    expect(findStatus('<mail.corp.example #5.1.1>')).toBe('5.1.1');
    expect(findStatus('This mailbox is disabled (554.30).')).toBe('');
    // The remote server's code after its reply code outranks a relay's label before it.
    expect(findStatus("5.1.0 - Unknown address error 550-'5.7.1 <b@x.example>... Access denied'")).toBe(
      '5.7.1',
    );
  });

  it('finds reply codes standing on their own', () => {
    expect(findReplyCode('Remote host said: 554: delivery error')).toBe(554);
    expect(findReplyCode('<<< 550-5.1.1 The email account')).toBe(550);
    expect(findReplyCode('arrived 2021 at 10:04:47 from 198.51.100.5')).toBe(0);
  });

  it('makes one line of a multi-line reply and drops control characters', () => {
    expect(
      normalizeDiagnostic('smtp; 550-5.1.1 The account\n 550-5.1.1 does not exist.\n 550 5.1.1  Learn more'),
    ).toBe('550 5.1.1 The account does not exist. Learn more');
    expect(normalizeDiagnostic('550 no\x1b[31m such\x07 user\r')).toBe('550 no [31m such user');
  });

  it('cleans addresses and refuses what is not one', () => {
    expect(normalizeAddress('rfc822; <Taro.Yamada@DOCOMO.ne.jp>')).toBe('Taro.Yamada@docomo.ne.jp');
    expect(normalizeAddress('"bob@example.org":')).toBe('bob@example.org');
    expect(normalizeAddress('alice@example')).toBe('');
    expect(normalizeAddress('ali\x1bce@example.org')).toBe('');
    expect(normalizeAddress('Postmaster')).toBe('');
  });
});

const BOUNCE_HEAD =
  'From: MAILER-DAEMON@mx.example.net\nTo: bounces+t@bounces.gazette.example\nSubject: failure notice\n\n';

describe('classifyBounce on awkward input', () => {
  it('accepts a string as well as bytes', async () => {
    const text = `${BOUNCE_HEAD}I'm afraid I wasn't able to deliver your message to the following addresses.\n\n<a@example.org>:\nSorry, no mailbox here by that name. (#5.1.1)\n`;
    expect(await classifyBounce(text)).toEqual([
      {
        recipient: 'a@example.org',
        action: 'failed',
        status: '5.1.1',
        diagnostic: 'Sorry, no mailbox here by that name. (#5.1.1)',
        reason: 'user_unknown',
        kind: 'hard',
      },
    ]);
  });

  it('gives [] for empty input, binary noise and a bounce that names nobody', async () => {
    expect(await classifyBounce('')).toEqual([]);
    expect(await classifyBounce(Buffer.from([0, 1, 2, 255, 254, 10, 13, 0]))).toEqual([]);
    expect(await classifyBounce(`${BOUNCE_HEAD}Something went wrong.\n`)).toEqual([]);
  });

  it('never reports the bounce sender or our own bounce address as a failed recipient', async () => {
    const text = `${BOUNCE_HEAD}<bounces+t@bounces.gazette.example>:\nmailbox unavailable\n<MAILER-DAEMON@mx.example.net>: user unknown\n`;
    expect(await classifyBounce(text)).toEqual([]);
  });

  it('does not take a signature address in a null-sender reply for a failed recipient', async () => {
    const raw =
      'From: Bob Lee <bob@corp.example>\nReturn-Path: <>\nTo: bounces+t@bounces.gazette.example\n' +
      'Subject: Re: Gazette No.201\n\nThanks, I will read it on Monday.\n\nBob Lee\nbob.lee@corp.example\n';
    expect(await classifyBounce(raw)).toEqual([]);
  });

  it('never takes the envelope sender of a session transcript for a failed recipient', async () => {
    const text = `${BOUNCE_HEAD}Transcript of session follows.\n In:  MAIL\n     FROM:<list-owner@relay.example>\n Out: 250 2.1.0 Ok\n In:  RCPT TO:<a@example.org>\n Out: 451 4.3.0 Error: queue file write error\n`;
    expect((await classifyBounce(text)).map((r) => [r.recipient, r.reason])).toEqual([
      ['a@example.org', 'system_error'],
    ]);
  });

  it("takes the bounce's own addressee when a wrapped Exim failure list names only it", async () => {
    const text =
      'From: Mail Delivery System <mailer-daemon@mx.example.net>\nTo: a@example.org\nSubject: Mail delivery failed\n\n' +
      'This is a permanent error. The following address(es)\nfailed:\n\na@example.org:\nSMTP error from remote server: 550 5.7.1 spam\n';
    expect((await classifyBounce(text)).map((r) => [r.recipient, r.reason])).toEqual([
      ['a@example.org', 'spam_detected'],
    ]);
  });

  it("does not read a Sendmail error line about a host as the recipient's", async () => {
    const text = `${BOUNCE_HEAD}>>> MAIL From:<bounces+t@bounces.gazette.example>\n<<< 501 <bounces+t@bounces.gazette.example>... no access from mail server [192.0.2.5] which is an open relay\n554 <a@example.org>... Remote protocol error\n550 example.org (smtp)... 550 Host unknown\n554 <b@example.org>... 550 Host unknown\n`;
    expect((await classifyBounce(text)).map((r) => [r.recipient, r.reason])).toEqual([
      ['a@example.org', 'blocked'],
      ['b@example.org', 'host_unknown'],
    ]);
  });

  it('merges mentions of one recipient whatever their case', async () => {
    const text = `${BOUNCE_HEAD}Delivery has failed to these recipients or groups:\n\nAmy@Example.org\nThe e-mail address you entered couldn't be found.\n\namy@example.org\n#550 5.1.1 RESOLVER.ADR.RecipNotFound; not found ##\n`;
    expect((await classifyBounce(text)).map((r) => [r.recipient, r.status, r.reason])).toEqual([
      ['Amy@example.org', '5.1.1', 'user_unknown'],
    ]);
  });

  it('reads an ISO-2022-JP body whose charset was never declared', async () => {
    const body = Buffer.from('<jiro@ezweb.ne.jp>\n\x1b$B%a!<%k%"%I%l%9$OB8:_$7$^$;$s\x1b(B\n', 'latin1');
    const results = await classifyBounce(Buffer.concat([Buffer.from(BOUNCE_HEAD), body]));
    expect(results.map((r) => [r.recipient, r.reason, r.diagnostic])).toEqual([
      // No status and no SMTP stage: the words alone may be the reader's filter (soft `policy`).
      ['jiro@ezweb.ne.jp', 'policy', 'メールアドレスは存在しません'],
    ]);
  });

  it('keeps "user unknown" hard only with evidence that the address is dead', async () => {
    const kind = async (body: string) => (await classifyBounce(`${BOUNCE_HEAD}${body}`)).map((r) => r.kind);
    // No status that confirms it and no SMTP stage: soft.
    expect(await kind('<a@example.org>:\n550 user unknown\n')).toEqual(['soft']);
    expect(await kind('<a@example.org>:\n550 5.0.0 <a@example.org>... User unknown\n')).toEqual(['soft']);
    // An X.1.x status with it.
    expect(await kind('<a@example.org>:\n550 5.1.1 <a@example.org>... User unknown\n')).toEqual(['hard']);
    // Refused at RCPT: Postfix (wrapped), Exim, a session transcript, a stage label.
    expect(
      await kind(
        '<a@example.org>: host mx.example.org said: 550 <a@example.org>: User unknown (in reply to\n    RCPT TO command)\n',
      ),
    ).toEqual(['hard']);
    expect(
      await kind(
        '  a@example.org\n    SMTP error from remote mail server after RCPT TO:<a@example.org>:\n    550 User unknown\n',
      ),
    ).toEqual(['hard']);
    expect(
      await kind(
        'Recipient: <a@example.org>\n    >>> RCPT TO:<a@example.org>\n    <<< 550 <a@example.org>: User unknown\n',
      ),
    ).toEqual(['hard']);
    expect(await kind('<a@example.org>\nSMTP:RCPT host 192.0.2.1: 553 5.3.0 No such user here\n')).toEqual([
      'hard',
    ]);
    // Answered to the DATA command, before the message was sent (pipelining): no filter read it.
    expect(
      await kind(
        "<a@example.org>\n... while talking to mx.example.org.:\n>>> DATA\n<<< 554 delivery error: dd This user doesn't have an example.org account\n",
      ),
    ).toEqual(['hard']);
    // A DSN whose Status is only 5.0.0, with the MTA's own 5.1.1 line in its transcript.
    const dsn =
      'From: MAILER-DAEMON@mx.example.net\nTo: bounces+t@bounces.gazette.example\nSubject: Returned mail\nMIME-Version: 1.0\n' +
      'Content-Type: multipart/report; report-type=delivery-status; boundary="b"\n\n' +
      '--b\nContent-Type: text/plain\n\n<a@example.org>\n550 5.1.1 <a@example.org>... User unknown\n' +
      '--b\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; mx.example.net\n\n' +
      'Final-Recipient: rfc822; a@example.org\nAction: failed\nStatus: 5.0.0\nDiagnostic-Code: smtp; 550 User unknown\n--b--\n';
    expect((await classifyBounce(dsn)).map((r) => [r.status, r.kind])).toEqual([['5.0.0', 'hard']]);
    expect((await classifyBounce(dsn.replace('550 5.1.1 <a', '550 5.0.0 <a'))).map((r) => r.kind)).toEqual([
      'soft',
    ]);
    // After the message was sent: soft, unless the server's status names the address (X.1.1) whatever the stage.
    expect(
      await kind(
        '<a@example.org>: host mx.example.org said: 550 User unknown (in reply to end of DATA command)\n',
      ),
    ).toEqual(['soft']);
    expect(
      await kind(
        '<a@example.org>: host mx.example.org said: 550 5.1.1 User unknown (in reply to end of DATA command)\n',
      ),
    ).toEqual(['hard']);
    // Sendmail's own "550 5.1.1" line under a DATA that the server refused is no evidence; the server's own words are.
    expect(
      await kind(
        '<a@example.org>\n... while talking to mx.example.org.:\n>>> DATA\n<<< 550 5.0.0 <a@example.org>... User unknown\n550 5.1.1 <a@example.org>... User unknown\n',
      ),
    ).toEqual(['soft']);
    // Said in reply to MAIL FROM, "unknown" is about our sender, whatever its status: refused, soft.
    expect(
      (
        await classifyBounce(
          `${BOUNCE_HEAD}  a@example.org\n    SMTP error from remote mail server after MAIL FROM:<s@gazette.example> SIZE=1234:\n    550 5.1.1 <s@gazette.example>: User unknown\n`,
        )
      ).map((r) => [r.recipient, r.kind, r.reason]),
    ).toEqual([['a@example.org', 'soft', 'rejected']]);
    // IMail Server's own lookup, and a provider's own server named as the one that answered.
    expect(await kind('Unknown user: a@example.org\n')).toEqual(['hard']);
    expect(
      await kind('<a@example.org>: host aspmx.l.google.com[192.0.2.1] said: 550 User unknown\n'),
    ).toEqual(['hard']);
    // The mailbox's own host did not find it: a local delivery agent, a directory, Exchange's diagnostic code.
    expect(
      await kind(
        '<a@example.org>\nmail.local: unknown user: a\n554 <a@example.org>... Service unavailable\n',
      ),
    ).toEqual(['hard']);
    expect(
      await kind(
        'was not delivered to:\n  a@example.org\nbecause:\n  User a (a@example.org) not listed in Domino Directory\n',
      ),
    ).toEqual(['hard']);
    expect(
      await kind(
        'a@example.org on 4/29/01\n    The recipient name is not recognized\n    MSEXCH:IMS:ORG:SITE:SERVER 0 (000C05A6) Unknown Recipient\n',
      ),
    ).toEqual(['hard']);
  });

  it('reports a complaint for a redacted report that names nobody, and none for not-spam feedback', async () => {
    const report = (type: string) =>
      'From: fbl@isp.example\nTo: fbl@gazette.example\nSubject: report\nMIME-Version: 1.0\n' +
      'Content-Type: multipart/report; report-type=feedback-report; boundary="b"\n\n' +
      `--b\nContent-Type: text/plain\n\nreport\n--b\nContent-Type: message/feedback-report\n\nFeedback-Type: ${type}\nVersion: 1\n--b--\n`;
    expect(await classifyBounce(report('abuse'))).toEqual([
      {
        recipient: '',
        action: 'abuse',
        status: '',
        diagnostic: 'abuse report',
        reason: 'complaint',
        kind: 'complaint',
      },
    ]);
    expect(await classifyBounce(report('not-spam'))).toEqual([]);
  });
});

describe('classifyBounce on a DSN', () => {
  const dsn = (groups: string) =>
    'From: MAILER-DAEMON@mx.example.net\nTo: bounces+t@bounces.gazette.example\nSubject: Returned mail\n' +
    'MIME-Version: 1.0\nContent-Type: multipart/report; report-type=delivery-status; boundary="b"\n\n' +
    `--b\nContent-Type: text/plain\n\nProblems.\n--b\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; mx.example.net\n\n${groups}--b--\n`;

  it("keeps the DSN's order, and says why a delayed message is late (a dead address never is)", async () => {
    const raw = dsn(
      'Final-Recipient: rfc822; a@example.org\nAction: delayed\nStatus: 4.2.2\nDiagnostic-Code: x-unix; Quota exceeded\n\n' +
        'Final-Recipient: rfc822; b@example.org\nAction: failed\nStatus: 5.1.1\n\n' +
        'Final-Recipient: rfc822; c@example.org\nAction: delayed\nStatus: 4.0.0\nDiagnostic-Code: smtp; No MX found for domain\n\n',
    );
    expect((await classifyBounce(raw)).map((r) => [r.recipient, r.action, r.reason, r.kind])).toEqual([
      ['a@example.org', 'delayed', 'mailbox_full', 'soft'],
      ['b@example.org', 'failed', 'user_unknown', 'hard'],
      ['c@example.org', 'delayed', 'expired', 'soft'],
    ]);
  });

  it('reads the words after the Status code as evidence', async () => {
    const raw = dsn(
      'Final-Recipient: rfc822; a@example.org\nAction: failed\nStatus: 5.2.1 (mailbox disabled, not accepting messages)\n' +
        'Diagnostic-Code: smtp; 550 5.2.1 <a@example.org>... User Unknown\n\n',
    );
    expect((await classifyBounce(raw)).map((r) => [r.reason, r.diagnostic])).toEqual([
      ['suspended', '550 5.2.1 <a@example.org>... User Unknown'],
    ]);
  });
});

describe('HTML-only bounces', () => {
  it('reads the text of the HTML, without its head and styles', async () => {
    const html =
      '<html><head><title>blocked</title><style>.spam{color:red}</style></head><body>' +
      '<p>I&#39;m afraid I wasn&#39;t able to deliver your message to the following addresses.</p>' +
      '<p>&lt;a@example.org&gt;:<br>550 5.1.1 User unknown</p></body></html>';
    const raw = `${BOUNCE_HEAD.replace('\n\n', '\nContent-Type: text/html; charset=utf-8\n\n')}${html}`;
    expect((await classifyBounce(raw)).map((r) => [r.recipient, r.reason, r.diagnostic])).toEqual([
      ['a@example.org', 'user_unknown', '550 5.1.1 User unknown'],
    ]);
  });
});

describe('classifyBounce cost on hostile input', () => {
  it('stays fast on an HTML-only bounce full of unclosed tags and a huge body', async () => {
    const html = '<script>'.repeat(200_000);
    const raw = `${BOUNCE_HEAD.replace('\n\n', '\nContent-Type: text/html\n\n')}${html}<p>&lt;a@example.org&gt;: User unknown</p>`;
    const started = performance.now();
    expect(await classifyBounce(raw)).toEqual([]);
    expect(performance.now() - started).toBeLessThan(5000);
  });
});
