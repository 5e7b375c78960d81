import { describe, expect, it } from 'vitest';
import { classifyBounce } from '../../src/bounces/classify/classifier-api.ts';

/**
 * Failed recipients in the shapes that generators write besides the textbook one: feedback reports whose reader is
 * named elsewhere than Original-Rcpt-To, Apple Mail's unsubscribe by mail, DSN parts indented, run together or
 * mistyped, and the human-readable notices of Sun Messaging Server, Exchange 2003, Postfix aliases, Zoho and old
 * Gmail. Each lists the results it must give, as [recipient, kind].
 */

/** A multipart/report of `reportType` from `from`, its parts given as [content-type line(s), body]. */
function report(from: string, reportType: string, parts: [string, string][]): string {
  const body = parts.map(([type, text]) => `--SEP\nContent-Type: ${type}\n\n${text}\n`).join('\n');
  return `From: ${from}
To: bounces@news.example.com
Subject: Report
Date: Tue, 4 Mar 2025 08:00:00 +0000
MIME-Version: 1.0
Content-Type: multipart/report; report-type=${reportType}; boundary="SEP"

${body}--SEP--
`;
}

/** A plain-text notice from a mail system's daemon. */
function notice(from: string, subject: string, text: string): string {
  return `From: ${from}
To: bounces@news.example.com
Subject: ${subject}
Date: Tue, 4 Mar 2025 08:00:00 +0000
MIME-Version: 1.0
Content-Type: text/plain; charset=us-ascii

${text}`;
}

const ISSUE_HEADERS = `Return-Path: <bounces@news.example.com>
Received: from out.news.example.com by mx.example.com; Tue, 4 Mar 2025 07:59:00 +0000
From: The Paper <paper@news.example.com>
To: reader@example.com
Subject: This week
Message-ID: <week-9@news.example.com>
Date: Tue, 4 Mar 2025 07:59:00 +0000`;

const FEEDBACK = `Feedback-Type: abuse
User-Agent: ExampleFBL/2.1
Version: 1
Original-Mail-From: <bounces@news.example.com>
Reporting-MTA: dns; fbl.example.com`;

const fbl = (parts: [string, string][]) => report('fbl@example.com', 'feedback-report', parts);

const SHAPES: [string, string, [string, string][]][] = [
  [
    'ARF: the returned headers typed text/rfc822-header (singular) name the reader',
    fbl([
      ['text/plain', 'A reader marked your mail as spam.'],
      ['message/feedback-report', FEEDBACK],
      ['text/rfc822-header', ISSUE_HEADERS],
    ]),
    [['reader@example.com', 'complaint']],
  ],
  [
    'ARF: the original attached as a plain-text file',
    fbl([
      ['text/plain', 'A reader marked your mail as spam.'],
      ['message/feedback-report', FEEDBACK],
      [
        'text/plain; name="spam.txt"\nContent-Disposition: attachment; filename="spam.txt"',
        `${ISSUE_HEADERS}\n\nHello.`,
      ],
    ]),
    [['reader@example.com', 'complaint']],
  ],
  [
    'ARF: the original as a plain-text part that is not marked as an attachment',
    fbl([
      ['text/plain', 'A reader marked your mail as spam.'],
      ['message/feedback-report', FEEDBACK],
      ['text/plain; name="spam.eml"', `${ISSUE_HEADERS}\n\nHello.`],
    ]),
    [['reader@example.com', 'complaint']],
  ],
  [
    'ARF: Original-Rcpt-To with a display name',
    fbl([['message/feedback-report', `${FEEDBACK}\nOriginal-Rcpt-To: Rea Der <reader@example.com>`]]),
    [['reader@example.com', 'complaint']],
  ],
  [
    'ARF: two readers in one Original-Rcpt-To field',
    fbl([
      ['message/feedback-report', `${FEEDBACK}\nOriginal-Rcpt-To: reader@example.com, other@example.net`],
    ]),
    [
      ['reader@example.com', 'complaint'],
      ['other@example.net', 'complaint'],
    ],
  ],
  [
    'ARF: the returned message hides its To; its Delivered-To names the reader',
    fbl([
      ['message/feedback-report', FEEDBACK],
      [
        'message/rfc822',
        ISSUE_HEADERS.replace(
          'To: reader@example.com',
          'To: undisclosed-recipients:;\nDelivered-To: reader@example.com',
        ),
      ],
    ]),
    [['reader@example.com', 'complaint']],
  ],
  [
    'DSN: per-recipient fields indented',
    report('MAILER-DAEMON@relay.example.net', 'delivery-status', [
      ['text/plain', 'Delivery failed.'],
      [
        'message/delivery-status',
        `Reporting-MTA: dns; relay.example.net

    Final-Recipient: rfc822; reader@example.com
    Action: failed
    Status: 5.2.2
    Diagnostic-Code: smtp; 552 5.2.2 over quota`,
      ],
    ]),
    [['reader@example.com', 'soft']],
  ],
  [
    'DSN: recipient groups separated by lines of dashes',
    report('MAILER-DAEMON@relay.example.net', 'delivery-status', [
      ['text/plain', 'Delivery failed.'],
      [
        'message/delivery-status',
        `Reporting-MTA: dns; relay.example.net
-----
Final-Recipient: rfc822; reader@example.com
Action: failed
Status: 5.1.1
-----
Final-Recipient: rfc822; other@example.net
Action: failed
Status: 5.2.2`,
      ],
    ]),
    [
      ['reader@example.com', 'hard'],
      ['other@example.net', 'soft'],
    ],
  ],
  [
    'DSN: recipient groups with nothing between them, each with its Original-Recipient',
    report('MAILER-DAEMON@relay.example.net', 'delivery-status', [
      ['text/plain', 'Delivery failed.'],
      [
        'message/delivery-status',
        `Reporting-MTA: dns; relay.example.net
Original-Recipient: rfc822; reader@example.com
Final-Recipient: rfc822; reader@example.com
Action: failed
Status: 5.2.2
Original-Recipient: rfc822; other@example.net
Final-Recipient: rfc822; other@example.net
Action: failed
Status: 5.1.1`,
      ],
    ]),
    [
      ['reader@example.com', 'soft'],
      ['other@example.net', 'hard'],
    ],
  ],
  [
    'DSN: Action first, then the Final-Recipient and the Original-Recipient of one recipient',
    report('MAILER-DAEMON@relay.example.net', 'delivery-status', [
      ['text/plain', 'Delivery failed.'],
      [
        'message/delivery-status',
        `Reporting-MTA: dns; relay.example.net

Action: failed
Final-Recipient: rfc822; reader@example.com
Original-Recipient: rfc822; reader@example.com
Status: 5.1.1`,
      ],
    ]),
    [['reader@example.com', 'hard']],
  ],
  [
    'DSN: the part typed text/delivery-status',
    report('MAILER-DAEMON@relay.example.net', 'delivery-status', [
      ['text/plain', 'Delivery failed.'],
      [
        'text/delivery-status',
        'Reporting-MTA: dns; relay.example.net\n\nFinal-Recipient: rfc822; reader@example.com\nAction: failed\nStatus: 5.1.1',
      ],
    ]),
    [['reader@example.com', 'hard']],
  ],
  [
    'Sun Messaging Server: the labelled recipient, not the Message-id of the header summary',
    notice(
      'Internet Mail Delivery <postmaster@mx.example.com>',
      'Delivery Notification: Delivery has failed',
      `This report relates to a message you sent with the following header fields:

  Message-id: <week-9@news.example.com>
  From: The Paper <paper@news.example.com>
  To: reader@example.com
  Subject: This week

Your message cannot be delivered to the following recipients:

  Recipient address: reader@example.com
  Reason: Remote SMTP server has rejected address
  Diagnostic code: smtp;550 5.1.1 <reader@example.com>... No such user
`,
    ),
    [['reader@example.com', 'hard']],
  ],
  [
    'Sun Messaging Server: the Original address under the Recipient address is the one we sent to',
    notice(
      'Internet Mail Delivery <postmaster@mx.example.com>',
      'Delivery Notification: Delivery has failed',
      `Your message cannot be delivered to the following recipients:

  Recipient address: r.der@mailhost.example.com
  Original address: reader@example.com
  Reason: Remote SMTP server has rejected address
  Diagnostic code: smtp;552 5.2.2 <r.der@mailhost.example.com>... Mailbox full
`,
    ),
    [['reader@example.com', 'soft']],
  ],
  [
    'Exchange 2003: the X.400 line names the address after an SMTP= label',
    notice(
      'System Administrator <postmaster@example.com>',
      'Undeliverable: This week',
      `Your message

      To: reader@example.com
      Subject: This week

did not reach the following recipient(s):

c=JP;a= ;p=Example;o=Mail;dda:SMTP=READER@EXAMPLE.COM; on Tue, 4 Mar 2025 08:00:00 +0000
    The recipient name is not recognized
    MSEXCH:IMS:EXAMPLE:MAIL:HOST 0 (000C05A6) Unknown Recipient
`,
    ),
    [['reader@example.com', 'hard']],
  ],
  [
    'Postfix: an alias expanded from our address, its reply wrapped onto an indented line',
    notice(
      'Mail Delivery System <MAILER-DAEMON@mx.example.com>',
      'Undelivered Mail Returned to Sender',
      `This is the mail system at host mx.example.com.

I'm sorry to have to inform you that your message could not
be delivered to one or more recipients.

<rd@lists.example.com> (expanded from <reader@example.com>): host lists.example.com[192.0.2.7] said: 550 5.1.1
    <rd@lists.example.com>... User unknown (in reply to RCPT TO command)
`,
    ),
    [['reader@example.com', 'hard']],
  ],
  [
    'Zoho-shaped: one line per recipient with no label; each keeps its own words',
    notice(
      'Mail Delivery System <mailer-daemon@mx.example.com>',
      'Undelivered Mail Returned to Sender',
      `This message was created automatically by mail delivery software.
A message that you sent could not be delivered to one or more of its recipients.

reader@example.com Invalid Address, ERROR_CODE :550, ERROR_CODE :5.1.1 no such user
other@example.net Invalid Address, ERROR_CODE :552, ERROR_CODE :5.2.2 mailbox full
`,
    ),
    [
      ['reader@example.com', 'hard'],
      ['other@example.net', 'soft'],
    ],
  ],
  [
    'old Gmail: two addresses listed, then one technical paragraph for both',
    notice(
      'Mail Delivery Subsystem <mailer-daemon@googlemail.com>',
      'Delivery Status Notification (Failure)',
      `This is an automatically generated Delivery Status Notification

Delivery to the following recipients failed permanently:

     reader@example.com
     other@example.net

Technical details of permanent failure:
The error that the other server returned was: 550 5.1.1 The email account that you tried to reach does not exist.
`,
    ),
    [
      ['reader@example.com', 'hard'],
      ['other@example.net', 'hard'],
    ],
  ],
];

describe('failed recipients in the shapes generators write besides the textbook one', () => {
  it.each(SHAPES)('%s', async (_, raw, expected) => {
    const got = await classifyBounce(raw);
    expect(got.map((r) => [r.recipient, r.kind])).toEqual(expected);
  });
});

describe("Apple Mail's unsubscribe by mail (X-Apple-Unsubscribe: true)", () => {
  // The reader asks for no more mail: an RFC 5965 opt-out, whose reader is the sender of the request.
  const request = (body: string) => `From: Rea Der <reader@example.com>
To: unsubscribe@news.example.com
Subject: Unsubscribe
Date: Tue, 4 Mar 2025 08:00:00 +0000
MIME-Version: 1.0
X-Apple-Unsubscribe: true
Content-Type: text/plain; charset=us-ascii

${body}`;

  it('is an opt-out by the sender of the request, with a body or without one', async () => {
    for (const body of ['Apple Mail sent this email to unsubscribe from the message "This week".', '']) {
      const got = await classifyBounce(request(body));
      expect(got.map((r) => [r.recipient, r.kind, r.action, r.diagnostic])).toEqual([
        ['reader@example.com', 'complaint', 'opt-out', 'opt-out report from Apple Mail'],
      ]);
    }
  });

  it('is nothing without the header', async () => {
    const got = await classifyBounce(
      request('Please take me off.').replace('X-Apple-Unsubscribe: true\n', ''),
    );
    expect(got).toEqual([]);
  });
});

describe('Amazon SES notifications that report no failure', () => {
  // SNS mails them with a null Return-Path, which alone makes a message look like a bounce.
  const sns = (message: object) =>
    'Return-Path: <>\n' +
    notice(
      'AWS Notifications <no-reply@sns.amazonaws.com>',
      'AWS Notification Message',
      `${JSON.stringify({ Type: 'Notification', MessageId: 'm-1', Message: JSON.stringify(message) }, null, 2)}\n`,
    );
  const mail = { source: 'paper@news.example.com', destination: ['reader@example.com'] };

  it('gives nothing for a Delivery or a DeliveryDelay event, and still reads a Bounce', async () => {
    const delivery = {
      notificationType: 'Delivery',
      delivery: { recipients: ['reader@example.com'], smtpResponse: '250 2.0.0 OK' },
      mail,
    };
    expect(await classifyBounce(sns(delivery))).toEqual([]);
    expect(await classifyBounce(sns({ eventType: 'DeliveryDelay', deliveryDelay: {}, mail }))).toEqual([]);
    const bounce = {
      notificationType: 'Bounce',
      bounce: {
        bounceType: 'Permanent',
        bouncedRecipients: [{ emailAddress: 'reader@example.com', status: '5.1.1' }],
      },
      mail,
    };
    const got = await classifyBounce(sns(bounce));
    expect(got.map((r) => [r.recipient, r.kind])).toEqual([['reader@example.com', 'hard']]);
  });
});
