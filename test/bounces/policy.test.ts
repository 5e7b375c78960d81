import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { BounceResult } from '../../src/bounces/classify/result.ts';
import { decideAutoPause, decideBounce, type PolicySettings } from '../../src/bounces/policy.ts';
import { bounceTargets, messageIdOf } from '../../src/bounces/sources/bounce-mail.ts';
import { sesBounceReason } from '../../src/bounces/sources/ses.ts';
import { isAwsSnsUrl, type SnsMessage, snsStringToSign } from '../../src/bounces/sources/sns.ts';
import { mailboxOf, readVerpToken } from '../../src/bounces/sources/verp.ts';
import { WebhookBody, webhookReason } from '../../src/bounces/sources/webhook.ts';
import { eventLine, sendBounceLines, terminalText } from '../../src/cli/bounces/bounce-view.ts';
import { parseSince } from '../../src/text/since.ts';
import { signToken } from '../../src/tokens.ts';

const S: PolicySettings = {
  softLimit: 3,
  softDays: 30,
  softSends: 3,
  minMessages: 1000,
  hardRate: 0.05,
  complaintRate: 0.003,
};
const SECRET = 'test-secret-0123456789abcdef0123456789';
const DOMAIN = { BOUNCE_DOMAIN: 'bounce.gazette.test' };

describe('decideBounce', () => {
  it('suppresses at once for a hard bounce or a complaint, and marks the subscriber', () => {
    expect(decideBounce('hard', 0, S)).toEqual({ suppress: true, status: 'bounced', why: 'hard bounce' });
    expect(decideBounce('complaint', 0, S)).toEqual({
      suppress: true,
      status: 'complained',
      why: 'complaint',
    });
  });

  it('counts soft bounces and suppresses at the limit within the window', () => {
    expect(decideBounce('soft', 1, S)).toEqual({
      suppress: false,
      why: '1 soft bounce in 30 days (suppressed at 3)',
    });
    expect(decideBounce('soft', 2, S).suppress).toBe(false);
    expect(decideBounce('soft', 3, S)).toEqual({
      suppress: true,
      status: 'bounced',
      why: '3 soft bounces in 30 days',
    });
    expect(decideBounce('soft', 1, { ...S, softLimit: 1 }).suppress).toBe(true);
  });

  it('suppresses on the third send in a row that soft-bounced, whatever the window says', () => {
    expect(decideBounce('soft', 1, S, 2)).toEqual({
      suppress: false,
      why: '1 soft bounce in 30 days, soft bounces on 2 sends in a row (suppressed at 3 in 30 days or 3 sends in a row)',
    });
    expect(decideBounce('soft', 1, S, 3)).toEqual({
      suppress: true,
      status: 'bounced',
      why: 'soft bounces on 3 sends in a row',
    });
    expect(decideBounce('hard', 0, S, 1).why).toBe('hard bounce');
  });
});

describe('decideAutoPause', () => {
  it('waits for the first 1,000 messages whatever the rates', () => {
    expect(decideAutoPause({ messages: 999, hard: 500, complaints: 50 }, S)).toBeNull();
  });

  it('pauses past 5% hard bounces and says why', () => {
    expect(decideAutoPause({ messages: 1000, hard: 50, complaints: 0 }, S)).toBeNull();
    expect(decideAutoPause({ messages: 1000, hard: 51, complaints: 0 }, S)).toBe(
      'hard-bounce rate 5.1% (51 of 1000 messages) passed 5.0%',
    );
  });

  it('pauses past 0.3% complaints and says why', () => {
    expect(decideAutoPause({ messages: 2000, hard: 0, complaints: 6 }, S)).toBeNull();
    expect(decideAutoPause({ messages: 2000, hard: 0, complaints: 7 }, S)).toBe(
      'complaint rate 0.35% (7 of 2000 messages) passed 0.30%',
    );
  });
});

describe('VERP and inbound mailboxes', () => {
  const token = signToken(SECRET, 'bounce', ['s1abc', '42']);

  it('tells bounce and unsubscribe mailboxes of BOUNCE_DOMAIN from anything else', () => {
    expect(mailboxOf(`bounces+${token}@bounce.gazette.test`, DOMAIN)).toEqual({ kind: 'bounce', token });
    expect(mailboxOf(`Bounces+${token.toUpperCase()}@BOUNCE.gazette.test`, DOMAIN)).toEqual({
      kind: 'bounce',
      token,
    });
    expect(mailboxOf('bounces@bounce.gazette.test', DOMAIN)).toEqual({ kind: 'bounce', token: '' });
    expect(mailboxOf('unsubscribe+abc.def@bounce.gazette.test', DOMAIN)).toEqual({
      kind: 'unsubscribe',
      token: 'abc.def',
    });
    expect(mailboxOf(`bounces+${token}@elsewhere.test`, DOMAIN)).toBeNull();
    expect(mailboxOf('postmaster@bounce.gazette.test', DOMAIN)).toBeNull();
    expect(mailboxOf('bouncesx@bounce.gazette.test', DOMAIN)).toBeNull();
  });

  it('reads the send and subscriber of a valid token and says why it refuses others', () => {
    expect(readVerpToken(SECRET, token)).toEqual({ ok: true, sendId: 's1abc', subscriberId: 42 });
    expect(readVerpToken(SECRET, '')).toEqual({ ok: false, reason: 'missing' });
    expect(
      readVerpToken(
        SECRET,
        token.replace(/.$/, (c) => (c === '0' ? '1' : '0')),
      ),
    ).toEqual({
      ok: false,
      reason: 'forged',
    });
    expect(readVerpToken(SECRET, signToken(SECRET, 'unsubscribe', ['42', 's1abc']))).toEqual({
      ok: false,
      reason: 'forged',
    });
    expect(readVerpToken(SECRET, 'nonsense')).toEqual({ ok: false, reason: 'malformed' });
  });
});

describe('bounceTargets', () => {
  const result = (recipient: string, kind: BounceResult['kind']): BounceResult => ({
    recipient,
    action: 'failed',
    status: kind === 'hard' ? '5.1.1' : '4.2.2',
    diagnostic: '',
    reason: kind === 'hard' ? 'user_unknown' : 'mailbox_full',
    kind,
  });
  const verp = { ok: true as const, sendId: 's1', subscriberId: 7 };

  it('a valid token vouches only for the result about the address of the subscriber it names', () => {
    const results = [result('other@x.example', 'hard'), result('Reader@x.example', 'soft')];
    const targets = bounceTargets(results, verp, { id: 7, email: 'reader@x.example' });
    expect(targets.map((t) => [t.email, t.verified])).toEqual([
      ['other@x.example', false],
      ['reader@x.example', true],
    ]);
    expect(targets[1]).toMatchObject({
      email: 'reader@x.example',
      subscriberId: 7,
      sendId: 's1',
      verified: true,
    });
    expect(targets[1]?.result.kind).toBe('soft');
  });

  it('a valid token beside a report about another address vouches for nobody', () => {
    const targets = bounceTargets(
      [result('fwd1@y.example', 'soft'), result('fwd2@y.example', 'hard')],
      verp,
      { id: 7, email: 'reader@x.example' },
    );
    expect(targets.map((t) => [t.email, t.subscriberId, t.sendId, t.verified])).toEqual([
      ['fwd1@y.example', null, null, false],
      ['fwd2@y.example', null, null, false],
    ]);
  });

  it('a redacted complaint with a valid token is about the subscriber the token names', () => {
    const complaint = { ...result('', 'hard'), kind: 'complaint' as const, reason: 'complaint' as const };
    const targets = bounceTargets([complaint], verp, { id: 7, email: 'reader@x.example' });
    expect(targets.map((t) => [t.email, t.subscriberId, t.verified])).toEqual([
      ['reader@x.example', 7, true],
    ]);
  });

  it('records at most 50 results of a mail no token vouches for (a forged DSN listing 300 addresses)', () => {
    const many = Array.from({ length: 300 }, (_, i) => result(`r${i}@x.example`, 'hard'));
    const targets = bounceTargets(many, { ok: false, reason: 'missing' }, null);
    expect(targets).toHaveLength(50);
    expect(targets.every((t) => !t.verified && t.subscriberId === null)).toBe(true);
  });

  it('without a valid token, every result is unverified, about the address it names, with no send', () => {
    const results = [result('a@x.example', 'hard'), { ...result('', 'hard'), kind: 'complaint' as const }];
    const targets = bounceTargets(results, { ok: false, reason: 'forged' }, null);
    expect(targets.map((t) => [t.email, t.subscriberId, t.sendId, t.verified])).toEqual([
      ['a@x.example', null, null, false],
    ]);
  });
});

describe('messageIdOf', () => {
  it('reads a folded Message-ID from the header block only', () => {
    const raw = Buffer.from(
      'From: a@b\r\nMessage-ID:\r\n <abc.123@mta.example>\r\n\r\nMessage-ID: <body@x>\r\n',
    );
    expect(messageIdOf(raw)).toBe('abc.123@mta.example');
    expect(messageIdOf(Buffer.from('From: a@b\n\nMessage-ID: <body@x>\n'))).toBeNull();
  });

  it('finds the Message-ID of a fixture', () => {
    const raw = readFileSync(join(import.meta.dirname, '../fixtures/bounces/postfix-user-unknown.eml'));
    expect(messageIdOf(raw)).toMatch(/@/);
  });
});

describe('SES bounce reasons', () => {
  it('reads Permanent as hard unless the words show a filter', () => {
    expect(
      sesBounceReason('Permanent', 'General', {
        status: '5.1.1',
        diagnosticCode: 'smtp; 550 5.1.1 user unknown',
      }),
    ).toBe('user_unknown');
    expect(sesBounceReason('Permanent', 'General', {})).toBe('user_unknown');
    expect(
      sesBounceReason('Permanent', 'Suppressed', { diagnosticCode: 'Amazon SES did not send the message' }),
    ).toBe('user_unknown');
    expect(
      sesBounceReason('Permanent', 'General', { diagnosticCode: 'smtp; 554 5.7.1 Message rejected as spam' }),
    ).toBe('spam_detected');
  });

  it('never reads Transient as hard', () => {
    expect(sesBounceReason('Transient', 'MailboxFull', { status: '5.2.2' })).toBe('mailbox_full');
    expect(sesBounceReason('Transient', 'General', { diagnosticCode: 'smtp; 550 5.1.1 user unknown' })).toBe(
      'other',
    );
  });
});

describe('generic webhook bodies', () => {
  it('decides the reason from what the caller gives, keeping filters soft', () => {
    const parse = (e: unknown) => WebhookBody.parse(e).events[0] as Parameters<typeof webhookReason>[0];
    expect(webhookReason(parse({ email: 'a@x.example', kind: 'hard' }))).toBe('user_unknown');
    expect(
      webhookReason(parse({ email: 'a@x.example', kind: 'hard', diagnostic: '554 5.7.1 blocked by policy' })),
    ).not.toMatch(/user_unknown|host_unknown|has_moved|not_accept/);
    expect(
      webhookReason(parse({ email: 'a@x.example', kind: 'soft', diagnostic: '550 5.1.1 user unknown' })),
    ).toBe('other');
    expect(webhookReason(parse({ email: 'a@x.example', kind: 'complaint' }))).toBe('complaint');
    expect(webhookReason(parse({ email: 'a@x.example', reason: 'mailbox_full' }))).toBe('mailbox_full');
  });

  it('explains what is wrong with a bad event', () => {
    const r = WebhookBody.safeParse({
      events: [
        { email: 'not an address', kind: 'hard' },
        { email: 'a@x.example' },
        { email: 'a@x.example', kind: 'hard', reason: 'policy' },
      ],
    });
    expect(r.success).toBe(false);
    const messages = r.error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    expect(messages).toContain('events.0.email: "not an address" is not a valid e-mail address');
    expect(messages).toContain('events.1: give at least one of kind, reason, status or diagnostic');
    expect(messages).toContain(
      'events.2.kind: kind does not fit reason (hard is only user_unknown, host_unknown, has_moved or not_accept)',
    );
  });
});

describe('SNS', () => {
  it('trusts only https URLs on sns.<region>.amazonaws.com', () => {
    const good = 'https://sns.us-east-1.amazonaws.com/SimpleNotificationService-abc.pem';
    expect(isAwsSnsUrl(good)).toBe(true);
    expect(isAwsSnsUrl('https://sns.us-gov-west-1.amazonaws.com/x.pem')).toBe(true);
    for (const bad of [
      'http://sns.us-east-1.amazonaws.com/x.pem',
      'https://sns.us-east-1.amazonaws.com.evil.example/x.pem',
      'https://evil.example/sns.us-east-1.amazonaws.com/x.pem',
      'https://sns.us-east-1.amazonaws.com@evil.example/x.pem',
      'https://user@sns.us-east-1.amazonaws.com/x.pem',
      'https://sns.us-east-1.amazonaws.com:8443/x.pem',
      'https://s3.us-east-1.amazonaws.com/x.pem',
      'https://xsns.us-east-1.amazonaws.com/x.pem',
      'https://127.0.0.1/x.pem',
      'not a url',
    ]) {
      expect(isAwsSnsUrl(bad), bad).toBe(false);
    }
  });

  it('builds the string to sign in the documented order, with Subject only when present', () => {
    const base = {
      MessageId: 'm1',
      TopicArn: 'arn:aws:sns:us-east-1:123456789012:t',
      Message: 'hello',
      Timestamp: '2026-01-01T00:00:00.000Z',
      SignatureVersion: '2' as const,
      Signature: 'x',
      SigningCertURL: 'https://sns.us-east-1.amazonaws.com/c.pem',
    };
    const n: SnsMessage = { ...base, Type: 'Notification' };
    expect(snsStringToSign(n)).toBe(
      'Message\nhello\nMessageId\nm1\nTimestamp\n2026-01-01T00:00:00.000Z\nTopicArn\narn:aws:sns:us-east-1:123456789012:t\nType\nNotification\n',
    );
    expect(snsStringToSign({ ...n, Subject: 'S' })).toContain('MessageId\nm1\nSubject\nS\nTimestamp');
    const c: SnsMessage = {
      ...base,
      Type: 'SubscriptionConfirmation',
      SubscribeURL: 'https://u',
      Token: 'tok',
    };
    expect(snsStringToSign(c)).toBe(
      'Message\nhello\nMessageId\nm1\nSubscribeURL\nhttps://u\nTimestamp\n2026-01-01T00:00:00.000Z\nToken\ntok\nTopicArn\narn:aws:sns:us-east-1:123456789012:t\nType\nSubscriptionConfirmation\n',
    );
  });
});

describe('views and --since', () => {
  it('keeps escape sequences from remote servers out of the terminal', () => {
    expect(terminalText('550 \u001b[31mred\u001b[0m\r\nnext\u200bline')).toBe('550 [31mred [0m next line');
    expect(terminalText('x'.repeat(200), 10)).toBe(`${'x'.repeat(9)}…`);
  });

  it('prints one event on one line and a send summary by reason', () => {
    const line = eventLine(
      {
        id: '1-0',
        at: Date.UTC(2026, 4, 1, 0, 0, 0),
        email: 'a@x.example',
        subscriber: 3,
        send: 's1',
        kind: 'hard',
        reason: 'user_unknown',
        status: '5.1.1',
        diagnostic: '550 5.1.1 <a@x.example>: user unknown',
        source: 'mail',
        code: '',
        verified: true,
        raw: '',
        action: 'suppressed',
        soft: 0,
      },
      'Asia/Seoul',
    );
    expect(line).toBe(
      '2026-05-01 09:00:00 Asia/Seoul  hard       user_unknown     5.1.1    a@x.example  send s1  (mail)  suppressed — 550 5.1.1 <a@x.example>: user unknown',
    );
    expect(
      sendBounceLines(
        { hard: 2, soft: 3, complaint: 1, reasons: { user_unknown: 2, mailbox_full: 3, complaint: 1 } },
        'paused automatically: hard-bounce rate 6.0% (60 of 1000 messages) passed 5.0%',
      ),
    ).toEqual([
      'bounces by reason: mailbox_full 3 · user_unknown 2 (hard)',
      'complaints: 1',
      'paused automatically: hard-bounce rate 6.0% (60 of 1000 messages) passed 5.0%',
    ]);
    expect(sendBounceLines({ hard: 0, soft: 0, complaint: 0, reasons: {} }, null)).toEqual([]);
  });

  it('reads --since as ISO-8601 or a span, and says how to write it otherwise', () => {
    const now = Date.UTC(2026, 4, 10);
    expect(parseSince('7d', 'Asia/Seoul', now)).toBe(now - 7 * 86_400_000);
    expect(parseSince('12h', 'Asia/Seoul', now)).toBe(now - 12 * 3_600_000);
    expect(parseSince('2026-05-01', 'Asia/Seoul', now)).toBe(Date.UTC(2026, 3, 30, 15));
    expect(parseSince('2026-05-01T00:00Z', 'Asia/Seoul', now)).toBe(Date.UTC(2026, 4, 1));
    expect(() => parseSince('last week', 'Asia/Seoul', now)).toThrow(
      '--since "last week" is not a time Gazette can read; use ISO-8601 such as 2026-05-01 or 2026-05-01T09:00+09:00 (read in Asia/Seoul), or a span such as 7d or 12h.',
    );
  });
});
