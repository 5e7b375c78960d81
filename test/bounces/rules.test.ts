import { describe, expect, it } from 'vitest';
import {
  classifyBounce,
  classifySmtpReply,
  decideReason,
  kindOf,
} from '../../src/bounces/classify/classifier-api.ts';
import { REPLY_CODE_RULES, STATUS_RULES, TEXT_RULES } from '../../src/bounces/classify/rules.ts';

/** Diagnostics as servers write them, for every text rule: each must be decided by that very rule. */
const TEXT_EXAMPLES: Record<string, string[]> = {
  'suspended.mta-wording': [
    '550 5.1.1 <a@example.org>: mailbox currently suspended',
    '554 Sorry, a@example.org is disabled or discontinued',
    '550 5.2.1 user suspended',
    '550 Boite du destinataire archivee. Archived recipient.',
  ],
  'user_unknown.mta-phrases': [
    'El usuario some.name (a@example.org) no se encuentra en el Directorio de Domino',
    '550 5.1.4 Recipient address reserved by RFC 2606',
    '553 sorry, your envelope recipient is in my badrcptto list (#5.7.1)',
    '550 5.1.1 a@example.org: Recipient address rejected: this recipient is not in my validrcptto list',
    'vdeliver: Invalid or unknown virtual user a@example.org',
    '550 #5.1.0 Address rejected.',
    '550 5.1.1 Utilisateur inconnu !',
    '550 No account by that name here',
  ],
  'host_unknown.cpanel': [
    'The mail server could not deliver mail to a@example.net. The account or domain may not exist, they may be blacklisted, or missing the proper dns entries.',
  ],
  'provider.orange-spam': ['550 5.2.0 Mail rejete. Mail rejected. OFR_506 [506]'],
  'provider.orange-blocked': [
    '550 mwinf5c04 ME Adresse IP source bloquee pour incident de spam. Client host blocked for spamming issues. OFR006_102 Ref',
    '421 mwinf5c77 ME Service refuse. Veuillez essayer plus tard. Service refused, please try later. OFR_999 [999]',
  ],
  'provider.orange-connections': ['421 Too many connections, slow down. LPN105_104'],
  'provider.orange-sender': ['550 5.0.1 Emetteur invalide. Invalid Sender. LPN105_405'],
  'provider.orange-unknown': ['550 5.5.0 Adresse destinataire invalide. Invalid recipient. LPN007_416'],
  'provider.orange-full': ['552 5.1.1 Boite du destinataire pleine. Recipient overquota. OFR_417'],
  'provider.orange-suspended': [
    '550 5.5.0 Le compte du destinataire est bloque. The recipient account isblocked. LPN007_426',
  ],
  'provider.orange-system': [
    '421 4.2.0 Service refuse. Veuillez essayer plus tard. Service refused, please try later. OFR005_505 [505]',
  ],
  'provider.orange-size': ['552 Taille limite du message atteinte. OFR_514'],
  'provider.mimecast-policy': [
    '554 Host network not allowed - https://community.mimecast.com/docs/DOC-1369#554',
    '550 Rejected by header-based Anti-Spoofing policy',
  ],
  'provider.mimecast-scanner': [
    '554 Email rejected due to security policies - https://community.mimecast.com/docs/DOC-1369#554',
  ],
  'provider.mimecast-sender': [
    '550 Administrative prohibition envelope blocked - https://community.mimecast.com/docs/DOC-1369#550',
  ],
  'provider.mimecast-reputation': [
    '550 Local CT IP Reputation - (reject) https://community.mimecast.com/docs/DOC-1369#550',
  ],
  'provider.yahoo-closed': [
    '554 delivery error: dd reader@yahoo.com is no longer valid. [-20] - mta1.mail.bf1.yahoo.com',
  ],
  'network.rate': [
    '550 5.7.508 Access denied, [192.0.2.1] has exceeded permitted limits within its range',
    '452 4.5.3 Your message has too many recipients',
    '550 5.5.3 RESOLVER.ADR.RecipLimit; too many recipients',
    '450 4.2.1 The user you are trying to contact is receiving mail too quickly',
    '550 5.7.1 Daily SMTP relay limit exceeded for customer',
    '554 5.2.2 Submission quota exceeded',
    '550 5.2.1 The user you are trying to contact is receiving mail at a rate that prevents additional messages',
    '550 5.1.1 <a@example.com> - 203.0.113.9 has sent to too many recipients this hour',
    '550 Ip frequency limited',
    '421 Too many connections from your host',
    '421 4.7.0 Connection rate limit exceeded for 192.0.2.10, try again later',
    '451 Throttling failure: Maximum sending rate exceeded',
    '450 4.7.1 You have exceeded the max emails per hour allowed for your account',
    '421 Too many concurrent SMTP sessions from your address',
    '421 Trop de connexions, veuillez patienter',
  ],
  'policy.ja-domain-filter': [
    '<a@ezweb.ne.jp>: host lsean.ezweb.ne.jp said: 550 : User unknown',
    '550 : User unknown',
    '550: : User unknown',
  ],
  'policy.recipient-preferences': [
    '550 5.1.1 RCP-P2 Refused due to recipient preferences',
    "550 Refused by the recipient's settings",
    '550 5.7.1 The recipient is only accepting mail from specific email addresses',
    '554 You have been blocked by the recipient',
    '550 The following address refuses to receive mail from you',
    '550 Message rejected due to user rules',
  ],
  'system.local-delivery': [
    'procmail: Couldn\'t create "/var/spool/mail/neko"',
    'mail.local: cannot open mailbox',
    'pipe to |/usr/local/bin/filter a@example.org\n  generated by a@example.org',
  ],
  'system.full': ['452 4.4.5 Insufficient disk space; try again later', '452 Insufficient system storage'],
  'spam.uri-list': [
    '550 Rejected - blacklisted URL in message (example.net)',
    '554 Your message breaches the local URIBL policy',
    '550 Listed in multi.surbl.org',
  ],
  'policy.not-compliant': [
    "554 Transaction failed: Duplicate header 'Subject'.",
    '550 5.7.1 This message is not RFC 5322 compliant.',
    '550 5.6.0 Message contains multiple From headers',
    '554 Improper use of 8-bit data in message header',
    '550 This message contains invalid MIME headers',
  ],
  'policy.smtp-auth': [
    '550 Unauthenticated senders not allowed',
    '530 unauthenticated relay prohibited',
    '530 5.7.0 Authentication required',
    '535 Authentication credentials invalid',
  ],
  'spam.filter': [
    '550 5.2.1 Content Filter agent quarantined this message',
    '550 Blocked by SpamAssassin (score 14.2)',
    '554 Message refused by the SpamProfiler of our gateway',
    '550 5.7.1 Mail score (11.3) over threshold',
    '554 Rejected by the recurrent pattern detection system',
  ],
  'spam.verdict': [
    'Your message was rejected due to spam classification',
    '550 5.7.1 Message content rejected, UBE, id=1234-56',
  ],
  'blocked.dnsbl': [
    '554 Blocked - see https://support.proofpoint.com/dnsbl-lookup.cgi?ip=192.0.2.1',
    '554 5.7.1 Service unavailable; Client host [192.0.2.10] blocked using bl.example.net',
    '550 rejected because 192.0.2.10 is listed at dnsbl.example.org',
  ],
  'blocked.list-name': [
    '550 5.7.1 Rejected: 192.0.2.10 found on Spamhaus SBL, see https://check.example',
    '550 Your IP address is listed in the RBL of this site',
    '554 Rejected: DNSBL match for 192.0.2.10',
  ],
  'blocked.blocklist': [
    '550 5.7.1 ... part of their network is on our block list (S3150)',
    '554 Your IP is blacklisted by our provider',
  ],
  'blocked.ip': [
    '550 5.7.506 Access denied, bad HELO',
    '550 5.7.510 Access denied, example.com does not accept email over IPv6',
    '501 5.5.4 HELO/EHLO argument is invalid',
    '553 Sorry, your IP address (192.0.2.1) has been blocked',
    '421 4.2.1 Service refused, please try later',
    '550 domain [example.com] mismatches client ip 192.0.2.5',
    '450 service permits 2 unverifyable sending IPs',
    'host mx.example.net[192.0.2.7] refused to talk to me: 421 Service not available',
    '550 5.7.606 Access denied, banned sending IP [192.0.2.10]',
    '501 <s@gazette.example>... no access from mail server [192.0.2.55] which is an open relay.',
    '550 We are not currently accepting mail from your IP',
    '550 Sender IP address rejected by local rules',
    '554 We do not accept mail from hosts with dynamic IP addresses',
    '550 Please use the SMTP server of your ISP',
    '554 5.7.1 HELO command rejected: host not allowed',
    '550 Mail from 192.0.2.10 refused by the gateway',
    '554 Sorry, your remote host looks suspiciously like a spammer',
    '550 You are sending spam from a compromised host',
  ],
  'auth.rate-limited': [
    '421 4.7.26 This mail has been rate limited because it is unauthenticated',
    '421 4.7.30 Your email has been rate limited because DKIM authentication did not pass for this message',
  ],
  'expired.message-expired': [
    '550 5.4.300 Message expired',
    '550 5.4.316 Message expired, connection refused',
  ],
  'system.service': [
    '451 4.4.22 Message failed to be replicated: no healthy peers found',
    '451 4.7.500 Temporary server error. Please try again later',
  ],
  'network.tls': [
    '530 5.7.0 Must issue a STARTTLS command first',
    '421 4.7.0 TLS required for RCPT domain, closing connection',
    '550 5.7.321 starttls-not-supported: Destination mail server must support TLS to receive mail',
    '451 4.4.8 MX hosts of example.org failed MTA-STS validation',
  ],
  'blocked.reputation': [
    '421 4.7.0 This message is suspicious due to the very low reputation of the sending IP',
    '421 4.7.650 The mail server [192.0.2.10] has been temporarily rate limited due to IP reputation',
    '550 Rejected: poor email reputation score of the sending server',
  ],
  'blocked.rate': [
    '421 4.7.28 Our system has detected an unusual rate of unsolicited mail originating from your IP address',
    '421 4.7.0 [TSS04] Messages from 192.0.2.10 temporarily deferred due to unexpected volume or user complaints',
  ],
  'blocked.ptr': [
    '450 4.7.1 Client host rejected: cannot find your hostname, [192.0.2.10]',
    '421 4.7.0 The IP address sending this message does not have a PTR record, so it has been temporarily rate limited',
    '450 4.7.1 Access denied. IP name lookup failed [192.0.2.9]',
    '550 5.7.25 The IP address sending this message does not have a PTR record setup',
    '450 Cannot resolve your address, try again later',
    '550 We do not accept mail from IPs with missing PTR records',
    '550 The forward DNS entry of your host does not point to the sending IP',
  ],
  'blocked.ja-refusal': ['受信者の設定により、このメールは受信拒否されました。'],
  'auth.dmarc': [
    "550 5.7.1 Unauthenticated email from gazette.example is not accepted due to domain's DMARC policy",
  ],
  'auth.spf': ['550 5.7.23 SPF validation failed for gazette.example'],
  'auth.dkim': ['550 5.7.20 No passing DKIM signature found'],
  'auth.unauthenticated': [
    "550 5.7.515 Access denied, sending domain example.jp doesn't meet the required authentication level",
    '550 5.7.1 This message does not have authentication information',
    '550 5.7.26 This message does not pass authentication checks',
  ],
  'spam.word': ['550 5.7.1 Message rejected as spam', '554 5.7.1 Rejected by anti-spam filter'],
  'spam.unsolicited': ['550 5.7.1 Our system has detected that this message is likely unsolicited mail'],
  'spam.ja': ['迷惑メールと判定されたため配信できませんでした'],
  'rejected.sender': [
    '550 DNS-P1 Your SMTP MAIL FROM domain does not exist',
    '550 5.7.136 Sender was not authenticated',
    '553 sorry, your envelope sender is in my badmailfrom list',
    '550 Unroutable sender address',
    '553 5.1.8 <bounces+x@bounces.gazette.example>: Sender address rejected: Domain not found',
    '550 Sender verify failed',
    "The settings for your 'Send mail as' account are misconfigured. https://support.google.com/mail/?p=CustomFromDenied",
    '550 Sender email address rejected by the list',
    '553 BATV validation failure for the bounce address',
    '550 Null sender is not allowed here',
    '550 Sender not pre-approved',
    '553 Fully qualified email address required in MAIL FROM',
    '550 No third-party DSNs accepted',
    '550 Backscatter protection detected an invalid or expired address',
  ],
  'rejected.not-member': [
    'You are not a member of this mailing list <list@example.org>.',
    '550 You are not allowed to post to this mailing list',
  ],
  'rejected.relay': [
    '550 5.7.0 <a@example.org>: Recipient address rejected: No relaying',
    '554 5.7.1 <a@example.net>: Relay access denied',
    "553 sorry, that domain isn't in my list of allowed rcpthosts (#5.7.1)",
    '550 This system is not configured to relay mail',
    '554 We do not handle mail for example.net, not a gateway',
  ],
  'spam.virus': [
    '554 5.7.1 Virus found in message',
    '550 Your message was infected with a virus (Eicar-Test-Signature)',
    '552 The attachment looks like malware',
  ],
  'policy.security': [
    '552 5.7.0 This message was blocked because its content presents a potential security issue',
    '550 5.7.1 Message looks like a phishing attempt',
  ],
  'policy.content': [
    '550 5.2.0 Message Filtered',
    '554 5.7.1 Message rejected due to content restrictions',
    '552 5.7.0 Prohibited attachment type',
    '552 Executable files are not allowed in compressed files',
    '554 Illegal attachment in your message',
  ],
  'policy.policy': [
    '554 5.7.9 Message not accepted for policy reasons',
    '550 5.7.1 Delivery not authorized, message refused',
    '550 5.7.1 RESOLVER.RST.NotAuthorized; not authorized',
    '550 Message bounced due to organizational settings',
    '554 You appear to be using a mass mailer',
  ],
  'suspended.account': [
    '550 Account disabled',
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
    '552 Recipient reached disk quota',
    '550 The account is exceeding their quota',
    '552 Mailfolder is full',
    '452 Recipient rejected: mailbox would exceed maximum allowed storage',
    "550 The user's space has been used up",
    '552 Boite du destinataire pleine',
  ],
  'mailbox_full.ja': ['メールボックスの容量が超過しています'],
  'message_too_big.size': [
    '554 Maximum email size exceeded',
    '552 5.3.4 Message size exceeds fixed maximum message size',
    '552 Message too large',
    '552 5.3.4 Exceeded maximum inbound message size',
    '552 Max message size exceeded',
    '552 Message file too big',
  ],
  'message_too_big.ja': ['メッセージのサイズが上限を超えています'],
  'has_moved.moved': [
    '551 5.1.6 User has moved; please try <new@example.net>',
    '551 User not local; please try <x@example.net>',
    '550 The address a@example.org has been replaced by b@example.net',
  ],
  'not_accept.null-mx': [
    '521 5.3.2 System not accepting network messages',
    'an MX or SRV record indicated no SMTP service',
    'No MX found for domain',
    "The domain example.org doesn't receive email",
    'Domain nomail.example does not accept mail (nullMX)',
    '556 5.1.10 Recipient address has null MX',
    "Sorry, I couldn't find a mail exchanger or IP address. (#5.4.4)",
  ],
  'host_unknown.dns': [
    'Illegal host/domain name found',
    'DNS Error: DNS server returned answer with no data',
    '553 mail.example.net does not exist',
    '550 Host unknown (Authoritative answer from name server)',
    '554 The mail could not be delivered because the domain is not reachable',
    'Host or domain name not found. Name service error for name=nx.example type=A: Host not found',
    'Unrouteable address',
    'DNS Error: Address resolution of nx.example. failed: Domain name not found',
  ],
  'host_unknown.ja': ['宛先のドメインが存在しません'],
  'user_unknown.unknown': [
    '550 5.0.0 unknown or illegal alias: reader@example.net',
    '550 5.1.1 <a@example.net>: Recipient address rejected: User unknown in virtual mailbox table',
    '550 No such user here',
    '550 Recipient (alice) unknown',
    '550 Non-existent user',
    '550 Unknown email address',
  ],
  'user_unknown.not-exist': [
    'Error: No valid recipients for this message',
    'The email account that you tried to reach does not exist',
    '550 Mailbox not found',
    "554 delivery error: dd This user doesn't have a yahoo.com account",
    'a recent history of bouncing as an invalid address',
    '550 Mailbox alice@example.org does not exist',
    '550 5.1.1 Account alice@example.org does not exist at the organization this message was sent to',
    '550 User alice was not found',
    '550 <alice@example.org> not found',
    '550 RCPT (alice@example.org) does not exist here',
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
    '550 Requested action not taken: mailbox unavaiable',
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
    'Message 1abc-0001 has been frozen by the system filter',
    'Delivery failed 20 attempts: a@example.com',
    'a@example.jp: Envelope expired',
    'The recipient server did not accept our requests to connect.',
    'retry timeout exceeded',
    "I'm not going to try again; this message has been in the queue too long.",
    'A message that you sent has not yet been delivered to one or more of its recipients after more than 24 hours on the queue',
    'Your message was not delivered within 0 days and 1 hours.',
    'Delivery to this address has been failing for a long time',
    'Unable to deliver message after multiple retries',
    'The host was not reachable within the allowed queue period',
  ],
  'system.mailer': [
    '550 Permanent error while executing qmail-forward (#5.4.4)',
    '554 5.3.0 unknown mailer error 1',
    'Command died with status 1: "/usr/local/bin/filter". Command output: failed',
    'X-Unix; 75',
    'Command output: /usr/local/bin/deliver: mailbox locked',
    '554 delivery through the filter ended: || exit 75',
  ],
  'network.dns-temporary': [
    '554 5.4.4 SMTPSEND.DNS.MxLoopback; DNS config error',
    'DNS Error: Could not contact DNS servers',
    'Host or domain name not found. Name service error for name=example.net type=MX: Host not found, try again',
    'Temporary DNS failure looking up example.net',
    'cat.example.net: host name lookup failure',
    '451 Unrouteable mail domain "example.net"',
  ],
  'network.connection': [
    'connect to mx.example.net[192.0.2.1]:25: Connection refused',
    'lost connection with mx.example.net while sending RCPT TO',
    'Network error on destination MXs',
    'Maximum hop count exceeded. Message probably in a routing loop.',
    '550 Mail forwarding loop for alice@example.org',
    '451 4.4.0 Message looping between the two relays',
  ],
  'system.error': [
    'mail for example.net loops back to myself',
    '451 4.3.0 Temporary system failure',
    'Duplicated Message-ID in <list@example.org>.',
    '451 Local error in processing',
    '451 Queue file write error',
    '554 Mail system configuration error',
  ],
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
    // So does network trouble the words name: a rate limit, TLS the receiver requires.
    for (const text of [
      '421 4.7.0 Too many concurrent SMTP connections',
      '451 4.4.317 STARTTLS is required to send mail',
    ]) {
      expect(decideReason({ status: text.split(' ')[1] ?? '', code: 451, text, final: true }).reason).toBe(
        'network_error',
      );
    }
  });

  it('reads a transient unknown host as trouble in the DNS', () => {
    const text = 'DNS Error: lookup of example.jp responded with code NXDOMAIN Domain name not found';
    expect(decideReason({ status: '4.0.0', code: 0, text, final: true }).reason).toBe('network_error');
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

/** A short bounce in the shape a mail system sends: headers, a blank line, the body (LF line ends). */
const mail = (headers: string[], body: string[]) => `${headers.join('\n')}\n\n${body.join('\n')}\n`;
const DAEMON = 'From: MAILER-DAEMON <mailer-daemon@mx.example.org>';
const TO = 'To: sender@gazette.example';

describe('families of bounces (issue 21)', () => {
  const cases: { family: string; raw: string; want: { recipient: string; reason: string; kind: string } }[] =
    [
      {
        family: 'iMail: a notice that names no address, the recipient in the returned copy',
        raw: mail(
          [
            'From: "Postmaster" <postmaster@mx.example.org>',
            TO,
            'Subject: Undeliverable Mail',
            'X-Mailer: <SMTP32 v8.22>',
          ],
          [
            'Mail server for "example.net" unreachable for too long',
            '',
            'Original message follows.',
            'To: <reader@example.net>',
            'Subject: Issue 4',
          ],
        ),
        want: { recipient: 'reader@example.net', reason: 'expired', kind: 'soft' },
      },
      {
        family: 'DragonFly Mail Agent: an error in words no rule knows is still a failure',
        raw: mail(
          ['From: MAILER-DAEMON <>', TO, 'Subject: Mail delivery failed'],
          [
            'This is the DragonFly Mail Agent v0.13 at mx.gazette.example.',
            '',
            'There was an error delivering your mail to <reader@example.net>.',
            '',
            'the remote end hung up on us',
            '',
            'Message headers follow.',
            '',
            'To: <reader@example.net>',
          ],
        ),
        want: { recipient: 'reader@example.net', reason: 'other', kind: 'soft' },
      },
      {
        family: 'DragonFly Mail Agent: no connection',
        raw: mail(
          ['From: MAILER-DAEMON <>', TO, 'Subject: Mail delivery failed'],
          [
            'There was an error delivering your mail to <reader@example.net>.',
            '',
            'can not connect to remote host mx.example.net',
          ],
        ),
        want: { recipient: 'reader@example.net', reason: 'network_error', kind: 'soft' },
      },
      {
        family: 'Biglobe: "delivery problems" heading, a full mailbox',
        raw: mail(
          ['From: postmaster@mail.example.jp', TO, 'Subject: Returned mail: Delivery failed'],
          [
            '   ----- The following addresses had delivery problems -----',
            'reader@example.jp',
            '',
            '   ----- Non-delivered information -----',
            "The number of messages in recipient's mailbox exceeded the local limit.",
          ],
        ),
        want: { recipient: 'reader@example.jp', reason: 'mailbox_full', kind: 'soft' },
      },
      {
        family: 'Gmail: "There was a problem delivering your message to"',
        raw: mail(
          [
            'From: Mail Delivery Subsystem <mailer-daemon@googlemail.com>',
            TO,
            'Subject: Delivery Status Notification (Failure)',
          ],
          [
            'There was a problem delivering your message to reader@example.net. See the technical details below.',
            '',
            'The response from the remote server was:',
            '550 No such user here',
          ],
        ),
        want: { recipient: 'reader@example.net', reason: 'user_unknown', kind: 'hard' },
      },
      {
        family: 'Zoho: the address first, then "Invalid Address" and its codes',
        raw: mail(
          ['From: mailer-daemon@mx.zoho.example', TO, 'Subject: Undelivered Mail Returned to Sender'],
          [
            'A message that you sent could not be delivered to one or more of its recipients. This is a permanent error.',
            '',
            'reader@example.net Invalid Address, ERROR_CODE :550, ERROR_CODE :Requested action not taken: mailbox unavailable',
          ],
        ),
        want: { recipient: 'reader@example.net', reason: 'user_unknown', kind: 'hard' },
      },
      {
        family: 'Postfix: a name server that did not answer is not a dead domain',
        raw: mail(
          [DAEMON, TO, 'Subject: Undelivered Mail Returned to Sender'],
          [
            'This is the mail system at host mx.example.org.',
            '',
            '<reader@example.net>: Host or domain name not found. Name service error for',
            '    name=example.net type=MX: Host not found, try again',
          ],
        ),
        want: { recipient: 'reader@example.net', reason: 'network_error', kind: 'soft' },
      },
      {
        family: 'a mailbox provider (Microsoft) saying its own mailbox is unavailable is hard',
        raw: mail(
          [
            DAEMON,
            TO,
            'Subject: Undeliverable: Issue 4',
            'Content-Type: multipart/report; report-type=delivery-status; boundary="b"',
          ],
          [
            '--b',
            'Content-Type: text/plain',
            '',
            'Delivery has failed.',
            '--b',
            'Content-Type: message/delivery-status',
            '',
            'Reporting-MTA: dns; mx.example.org',
            '',
            'Final-Recipient: rfc822; reader@outlook.com',
            'Action: failed',
            'Status: 5.5.0',
            'Diagnostic-Code: smtp; 550 5.5.0 Requested action not taken: mailbox unavailable',
            '--b--',
          ],
        ),
        want: { recipient: 'reader@outlook.com', reason: 'user_unknown', kind: 'hard' },
      },
      {
        family: 'a plain RFC 3464 report: "no such user" with 5.0.0 is hard',
        raw: mail(
          [
            DAEMON,
            TO,
            'Subject: Returned mail',
            'Content-Type: multipart/report; report-type=delivery-status; boundary="b"',
          ],
          [
            '--b',
            'Content-Type: text/plain',
            '',
            'failed.',
            '--b',
            'Content-Type: message/delivery-status',
            '',
            'Final-Recipient: rfc822; reader@example.net',
            'Action: failed',
            'Status: 5.0.0',
            'Diagnostic-Code: smtp; 550 sorry, no such user',
            '--b--',
          ],
        ),
        want: { recipient: 'reader@example.net', reason: 'user_unknown', kind: 'hard' },
      },
      {
        family: 'Sendmail: "user unknown" answering the DATA of a transcript is a filter (soft)',
        raw: mail(
          [DAEMON, TO, 'Subject: Returned mail: see transcript for details'],
          [
            '   ----- The following addresses had permanent fatal errors -----',
            '<reader@example.net>',
            '    (reason: 550 User unknown)',
            '',
            '   ----- Transcript of session follows -----',
            '... while talking to mx.example.net.:',
            '>>> DATA',
            '<<< 550 User unknown',
          ],
        ),
        want: { recipient: 'reader@example.net', reason: 'policy', kind: 'soft' },
      },
      {
        family: 'a Japanese carrier saying "unknown user" with nothing that confirms it (soft)',
        raw: mail(
          [DAEMON, TO, 'Subject: Returned mail: User unknown'],
          [
            '   ----- The following addresses had permanent fatal errors -----',
            '<reader@docomo.ne.jp>',
            '    (reason: 550 Unknown user reader@docomo.ne.jp)',
          ],
        ),
        want: { recipient: 'reader@docomo.ne.jp', reason: 'policy', kind: 'soft' },
      },
      {
        family: 'Amazon SES: a notification inside an SNS envelope',
        raw: mail(
          ['From: no-reply@sns.example', TO, 'Subject: AWS Notification Message'],
          [
            '{"Type" : "Notification", "MessageId" : "1", "Message" : "{\\"notificationType\\":\\"Bounce\\",\\"bounce\\":{\\"bounceType\\":\\"Permanent\\",\\"bouncedRecipients\\":[{\\"emailAddress\\":\\"reader@example.net\\",\\"status\\":\\"5.1.1\\",\\"diagnosticCode\\":\\"smtp; 550 5.1.1 user unknown\\"}]}}"}',
          ],
        ),
        want: { recipient: 'reader@example.net', reason: 'user_unknown', kind: 'hard' },
      },
      {
        family: 'a hand-made feedback report: the RFC 5965 fields in the text',
        raw: mail(
          ['From: fbl@isp.example', 'To: abuse@gazette.example', 'Subject: complaint'],
          [
            'Feedback-Type: abuse',
            'User-Agent: HandMade/1.0',
            'Version: 1',
            'Original-Rcpt-To: reader@example.net',
          ],
        ),
        want: { recipient: 'reader@example.net', reason: 'complaint', kind: 'complaint' },
      },
      {
        family: "Microsoft's JMRP: the reader in X-HmXmrOriginalRecipient of the returned message",
        raw: mail(
          [
            'From: staff@hotmail.example',
            'To: abuse@gazette.example',
            'Subject: complaint',
            'Content-Type: multipart/mixed; boundary="b"',
          ],
          [
            '--b',
            'Content-Type: text/plain',
            '',
            'This is an email abuse report.',
            '--b',
            'Content-Type: message/rfc822',
            '',
            'X-HmXmrOriginalRecipient: <reader@example.net>',
            'From: sender@gazette.example',
            'Subject: Issue 4',
            '',
            'hello',
            '--b--',
          ],
        ),
        want: { recipient: 'reader@example.net', reason: 'complaint', kind: 'complaint' },
      },
      {
        family: "Sun Messaging Server: 'unknown or illegal alias' with 5.0.0 is hard",
        raw: mail(
          [DAEMON, TO, 'Subject: Delivery Notification: Delivery has failed'],
          [
            'This report relates to a message you sent with the following header fields:',
            '',
            '  Recipient address: reader@example.net',
            '  Reason: Illegal alias',
            '',
            'Final-Recipient: rfc822;reader@example.net',
            'Action: failed',
            'Status: 5.0.0 (unknown or illegal alias)',
          ],
        ),
        want: { recipient: 'reader@example.net', reason: 'user_unknown', kind: 'hard' },
      },
      {
        family: 'a hand-made report: the RFC 3464 fields as plain text, from no daemon',
        raw: mail(
          ['From: reports@example.org', TO, 'Subject: Delivery report'],
          [
            'Reporting-MTA: dns; mx.example.org',
            '',
            'Final-Recipient: reader@example.net',
            'Action: failed',
            'Status: 5.1.1',
            'Diagnostic-Code: smtp; 550 5.1.1 user unknown',
          ],
        ),
        want: { recipient: 'reader@example.net', reason: 'user_unknown', kind: 'hard' },
      },
      {
        family: "a feedback report with no report part: the reader is the returned message's To",
        raw: mail(
          [
            'From: fbl@isp.example',
            'To: abuse@gazette.example',
            'Subject: FW: Issue 4',
            'Content-Type: multipart/report; report-type=feedback-report; boundary="b"',
          ],
          [
            '--b',
            'Content-Type: text/plain',
            '',
            'This is an abuse report.',
            '--b',
            'Content-Type: message/rfc822',
            '',
            'From: sender@gazette.example',
            'To: reader@example.net',
            'Subject: Issue 4',
            '',
            'hello',
            '--b--',
          ],
        ),
        want: { recipient: 'reader@example.net', reason: 'complaint', kind: 'complaint' },
      },
    ];
  it.each(cases)('$family', async ({ raw, want }) => {
    const [first, ...rest] = await classifyBounce(raw);
    expect(rest).toEqual([]);
    expect({ recipient: first?.recipient, reason: first?.reason, kind: first?.kind }).toEqual(want);
  });

  it('reads a DSN quoted in an ordinary message only when it says a delivery failed', async () => {
    const raw = mail(
      ['From: Someone <someone@example.net>', TO, 'Subject: Re: your question'],
      ['Our logs show:', 'Final-Recipient: rfc822; colleague@example.net'],
    );
    expect(await classifyBounce(raw)).toEqual([]);
  });

  it('still gives nothing for an auto-reply that names an address but no failure', async () => {
    const raw = mail(
      ['From: Someone <someone@example.net>', TO, 'Subject: Out of office'],
      ['I am away until Monday. Please write to colleague@example.net meanwhile.'],
    );
    expect(await classifyBounce(raw)).toEqual([]);
  });
});
