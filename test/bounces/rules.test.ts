import { describe, expect, it } from 'vitest';
import { classifySmtpReply, decideReason, kindOf } from '../../src/bounces/classify/index.ts';
import { REPLY_CODE_RULES, STATUS_RULES, TEXT_RULES } from '../../src/bounces/classify/rules.ts';

/** Diagnostics as servers write them, for every text rule: each must be decided by that very rule. */
const TEXT_EXAMPLES: Record<string, string[]> = {
  'network.rate': [
    '550 5.2.1 The user you are trying to contact is receiving mail at a rate that prevents additional messages',
    '550 5.1.1 <a@example.com> - 203.0.113.9 has sent to too many recipients this hour',
    '550 Ip frequency limited',
  ],
  'policy.ja-domain-filter': ['550 : User unknown', '550: : User unknown'],
  'policy.recipient-preferences': ['550 5.1.1 RCP-P2 Refused due to recipient preferences'],
  'system.local-delivery': [
    'procmail: Couldn\'t create "/var/spool/mail/neko"',
    'mail.local: cannot open mailbox',
  ],
  'spam.uri-list': ['550 Rejected - blacklisted URL in message (example.net)'],
  'policy.not-compliant': [
    "554 Transaction failed: Duplicate header 'Subject'.",
    '550 5.7.1 This message is not RFC 5322 compliant.',
  ],
  'policy.smtp-auth': ['550 Unauthenticated senders not allowed', '530 unauthenticated relay prohibited'],
  'spam.verdict': [
    'Your message was rejected due to spam classification',
    '550 5.7.1 Message content rejected, UBE, id=1234-56',
  ],
  'blocked.dnsbl': [
    '554 Blocked - see https://support.proofpoint.com/dnsbl-lookup.cgi?ip=192.0.2.1',
    '554 5.7.1 Service unavailable; Client host [192.0.2.10] blocked using bl.example.net',
    '550 rejected because 192.0.2.10 is listed at dnsbl.example.org',
  ],
  'blocked.list-name': ['550 5.7.1 Rejected: 192.0.2.10 found on Spamhaus SBL, see https://check.example'],
  'blocked.blocklist': [
    '550 5.7.1 ... part of their network is on our block list (S3150)',
    '554 Your IP is blacklisted by our provider',
  ],
  'blocked.ip': [
    '421 4.2.1 Service refused, please try later',
    '550 domain [example.com] mismatches client ip 192.0.2.5',
    '450 service permits 2 unverifyable sending IPs',
    'host mx.example.net[192.0.2.7] refused to talk to me: 421 Service not available',
    '550 5.7.606 Access denied, banned sending IP [192.0.2.10]',
    '450 4.7.1 Client host rejected: cannot find your hostname, [192.0.2.10]',
  ],
  'blocked.reputation': [
    '421 4.7.0 This message is suspicious due to the very low reputation of the sending IP',
  ],
  'blocked.rate': [
    '421 4.7.28 Our system has detected an unusual rate of unsolicited mail originating from your IP address',
    '421 4.7.0 [TSS04] Messages from 192.0.2.10 temporarily deferred due to unexpected volume or user complaints',
    '421 Too many connections from your host',
  ],
  'blocked.ptr': [
    '450 4.7.1 Access denied. IP name lookup failed [192.0.2.9]',
    '550 5.7.25 The IP address sending this message does not have a PTR record setup',
  ],
  'blocked.ja-refusal': ['受信者の設定により、このメールは受信拒否されました。'],
  'auth.dmarc': [
    "550 5.7.1 Unauthenticated email from gazette.example is not accepted due to domain's DMARC policy",
  ],
  'auth.spf': ['550 5.7.23 SPF validation failed for gazette.example'],
  'auth.dkim': ['550 5.7.20 No passing DKIM signature found'],
  'auth.unauthenticated': [
    '550 5.7.1 This message does not have authentication information',
    '550 5.7.26 This message does not pass authentication checks',
  ],
  'spam.word': ['550 5.7.1 Message rejected as spam', '554 5.7.1 Rejected by anti-spam filter'],
  'spam.unsolicited': ['550 5.7.1 Our system has detected that this message is likely unsolicited mail'],
  'spam.ja': ['迷惑メールと判定されたため配信できませんでした'],
  'rejected.sender': [
    '550 Unroutable sender address',
    '553 5.1.8 <bounces+x@bounces.gazette.example>: Sender address rejected: Domain not found',
    '550 Sender verify failed',
  ],
  'rejected.relay': [
    '550 5.7.0 <a@example.org>: Recipient address rejected: No relaying',
    '554 5.7.1 <a@example.net>: Relay access denied',
    "553 sorry, that domain isn't in my list of allowed rcpthosts (#5.7.1)",
  ],
  'policy.security': [
    '552 5.7.0 This message was blocked because its content presents a potential security issue',
    '554 5.7.1 Virus found in message',
  ],
  'policy.content': [
    '550 5.2.0 Message Filtered',
    '554 5.7.1 Message rejected due to content restrictions',
    '552 5.7.0 Prohibited attachment type',
  ],
  'policy.policy': [
    '554 5.7.9 Message not accepted for policy reasons',
    '550 5.7.1 Delivery not authorized, message refused',
    '550 5.7.1 RESOLVER.RST.NotAuthorized; not authorized',
  ],
  'suspended.account': [
    '550 5.5.0 The recipient account is blocked',
    '550 5.2.1 The email account that you tried to reach is disabled',
    'This mailbox is disabled (554.30)',
    'The user(s) account is temporarily limited.',
    'mailbox disabled, not accepting messages',
  ],
  'suspended.ja': ['このアカウントは現在利用停止中です'],
  'mailbox_full.quota': [
    '552 5.2.2 Quota exceeded',
    '452 4.2.2 The email account that you tried to reach is over quota',
    'As their mailbox is full.',
    '554 5.2.2 mailbox full; STOREDRV.Deliver.Exception:QuotaExceededException',
  ],
  'mailbox_full.ja': ['メールボックスの容量が超過しています'],
  'message_too_big.size': [
    '552 5.3.4 Message size exceeds fixed maximum message size',
    '552 Message too large',
  ],
  'message_too_big.ja': ['メッセージのサイズが上限を超えています'],
  'has_moved.moved': [
    '551 5.1.6 User has moved; please try <new@example.net>',
    '551 User not local; please try <x@example.net>',
  ],
  'not_accept.null-mx': [
    '521 5.3.2 System not accepting network messages',
    'an MX or SRV record indicated no SMTP service',
    'No MX found for domain',
    "The domain example.org doesn't receive email",
    'Domain nomail.example does not accept mail (nullMX)',
    '556 5.1.10 Recipient address has null MX',
  ],
  'host_unknown.dns': [
    '553 mail.example.net does not exist',
    '550 Host unknown (Authoritative answer from name server)',
    '554 The mail could not be delivered because the domain is not reachable',
    'Host or domain name not found. Name service error for name=nx.example type=A: Host not found',
    'Unrouteable address',
    'DNS Error: Address resolution of nx.example. failed: Domain name not found',
  ],
  'host_unknown.ja': ['宛先のドメインが存在しません'],
  'user_unknown.unknown': [
    '550 5.1.1 <a@example.net>: Recipient address rejected: User unknown in virtual mailbox table',
    '550 No such user here',
  ],
  'user_unknown.not-exist': [
    'Error: No valid recipients for this message',
    'The email account that you tried to reach does not exist',
    '550 Mailbox not found',
    "554 delivery error: dd This user doesn't have a yahoo.com account",
    'a recent history of bouncing as an invalid address',
  ],
  'user_unknown.mta-wording': [
    'The recipient name is not recognized',
    'Recipient is not listed in public Name & Address Book',
    '550 <a@example.jp>: Recipient address rejected.',
    '550 5.1.1 RESOLVER.ADR.RecipNotFound; not found',
    'Sorry, no mailbox here by that name. (#5.1.1)',
    '550 5.5.0 Requested action not taken: mailbox unavailable',
    '550 5.4.1 Recipient address rejected: Access denied. AS(201806281)',
    "seungmin.yoo wasn't found at contoso.example.",
  ],
  'user_unknown.ja': ['このメールアドレスは存在しません'],
  'blocked.smtp-greeting': [
    'SMTP error from remote mail server after initial connection:\n550 Access denied',
    'Connected to 192.0.2.1 but my name was rejected.',
    '... while talking to mx.example.net.:\n<<< 554 mx.example.net ESMTP not accepting connections',
  ],
  'rejected.smtp-mail-from': [
    'SMTP error from remote mail server after MAIL FROM:<b@gazette.example> SIZE=1022: 553 5.1.0 E2110',
    'said: 554 Transaction failed (in reply to MAIL FROM\n    command)',
    'Connected to 192.0.2.1 but sender was rejected.',
  ],
  'expired.gave-up': [
    'Delivery failed 20 attempts: a@example.com',
    'a@example.jp: Envelope expired',
    'The recipient server did not accept our requests to connect.',
    'retry timeout exceeded',
    "I'm not going to try again; this message has been in the queue too long.",
    'Your message was not delivered within 0 days and 1 hours.',
  ],
  'network.connection': [
    'connect to mx.example.net[192.0.2.1]:25: Connection refused',
    'lost connection with mx.example.net while sending RCPT TO',
  ],
  'system.error': ['mail for example.net loops back to myself', '451 4.3.0 Temporary system failure'],
};

describe('text rules', () => {
  it('has examples for exactly the rules in the table', () => {
    expect(Object.keys(TEXT_EXAMPLES).sort()).toEqual(TEXT_RULES.map((r) => r.id).sort());
    expect(new Set(TEXT_RULES.map((r) => r.id)).size).toBe(TEXT_RULES.length);
  });

  for (const rule of TEXT_RULES) {
    it.each(TEXT_EXAMPLES[rule.id] ?? [])(`${rule.id} → ${rule.reason}: %s`, (text) => {
      const decision = decideReason({ status: '', code: 0, text, final: false });
      expect(decision).toEqual({ reason: rule.reason, rule: rule.id, source: 'text' });
    });
  }
});

describe('status rules', () => {
  const cases = STATUS_RULES.flatMap((rule) =>
    rule.codes.map((code) => ({ rule, status: `5.${code.replace('*', '99')}` })),
  );
  it.each(cases)('$status → $rule.reason ($rule.id)', ({ rule, status }) => {
    expect(decideReason({ status, code: 0, text: '', final: false })).toEqual({
      reason: rule.reason,
      rule: rule.id,
      source: 'status',
    });
  });

  it('leaves the codes that say nothing to the reply code and then to "other"', () => {
    for (const status of ['5.0.0', '5.1.0', '5.2.0', '5.1.4']) {
      expect(decideReason({ status, code: 550, text: '', final: true }).reason).toBe('other');
    }
  });
});

describe('reply code rules', () => {
  const cases = REPLY_CODE_RULES.flatMap((rule) => rule.codes.map((code) => ({ rule, code })));
  it.each(cases)('$code → $rule.reason', ({ rule, code }) => {
    expect(decideReason({ status: '', code, text: '', final: false })).toEqual({
      reason: rule.reason,
      rule: rule.id,
      source: 'code',
    });
  });
});

describe('decideReason', () => {
  it('lets specific words outrank the status code, softest first', () => {
    const text = '550 5.1.1 <a@example.net> rejected: user unknown; client blocked using zen.spamhaus.org';
    expect(decideReason({ status: '5.1.1', code: 550, text, final: true }).reason).toBe('blocked');
  });

  it('lets a specific status code outrank weak words', () => {
    expect(
      decideReason({ status: '5.2.2', code: 552, text: 'please try again later', final: true }).reason,
    ).toBe('mailbox_full');
  });

  it('reads a final transient failure about the address, or only about the network, as expired', () => {
    const unknown = {
      status: '4.1.1',
      code: 450,
      text: 'Recipient address rejected: User unknown',
      final: true,
    };
    expect(decideReason(unknown).reason).toBe('expired');
    expect(decideReason({ status: '4.4.1', code: 0, text: 'Connection timed out', final: true }).reason).toBe(
      'expired',
    );
    // A specific transient reason survives the retries.
    expect(decideReason({ status: '4.2.2', code: 452, text: 'over quota', final: true }).reason).toBe(
      'mailbox_full',
    );
  });

  it('never makes a transient failure hard, even before the sender gave up', () => {
    const d = decideReason({ status: '4.1.1', code: 450, text: 'User unknown', final: false });
    expect(d.reason).toBe('other');
    expect(kindOf(d.reason)).toBe('soft');
  });
});

describe('kindOf', () => {
  it('is hard only for a dead address', () => {
    expect(kindOf('user_unknown')).toBe('hard');
    expect(kindOf('host_unknown')).toBe('hard');
    expect(kindOf('has_moved')).toBe('hard');
    expect(kindOf('not_accept')).toBe('hard');
    expect(kindOf('complaint')).toBe('complaint');
    for (const reason of [
      'blocked',
      'policy',
      'spam_detected',
      'mailbox_full',
      'expired',
      'other',
    ] as const) {
      expect(kindOf(reason)).toBe('soft');
    }
  });
});

describe('classifySmtpReply', () => {
  it('classifies a 550 at RCPT like the bounce it would have been', () => {
    const response =
      '550 5.1.1 <a@example.net>: Recipient address rejected: User unknown in local recipient table';
    expect(classifySmtpReply({ code: 550, response })).toEqual({
      reason: 'user_unknown',
      kind: 'hard',
      status: '5.1.1',
    });
  });

  it('keeps a 5xx blocklist rejection soft', () => {
    const response = '554 5.7.1 Service unavailable; Client host [192.0.2.10] blocked using zen.spamhaus.org';
    expect(classifySmtpReply({ code: 554, response })).toEqual({
      reason: 'blocked',
      kind: 'soft',
      status: '5.7.1',
    });
  });

  it('reads the code from the text when none is given, and falls back to x.0.0 for the status', () => {
    expect(
      classifySmtpReply({
        code: 0,
        response: '552 Requested mail action aborted: exceeded storage allocation',
      }),
    ).toEqual({ reason: 'mailbox_full', kind: 'soft', status: '5.0.0' });
  });

  it('keeps a 4xx soft, and calls it expired once the sender gives up', () => {
    const reply = {
      code: 450,
      response: '450 4.1.1 <a@example.net>: Recipient address rejected: unverified address',
    };
    expect(classifySmtpReply(reply)).toEqual({ reason: 'other', kind: 'soft', status: '4.1.1' });
    expect(classifySmtpReply({ ...reply, final: true })).toEqual({
      reason: 'expired',
      kind: 'soft',
      status: '4.1.1',
    });
  });
});
