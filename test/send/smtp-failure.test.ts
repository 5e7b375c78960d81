import { describe, expect, it } from 'vitest';
import { classifyDeliveryError, failureWords } from '../../src/send/wire/smtp-failure.ts';

/** An error shaped as nodemailer 10 makes them (lib/smtp-connection `_formatError`). */
const smtpError = (code: string, responseCode: number | undefined, command: string, response = '') =>
  Object.assign(new Error(response || code), { code, responseCode, command, response });

describe('classifyDeliveryError', () => {
  it("reads 5xx to RCPT TO or DATA as the reader's, final", () => {
    const rcpt = classifyDeliveryError(
      smtpError('EENVELOPE', 550, 'RCPT TO', '550 5.1.1 <a@x.example> User unknown'),
    );
    expect(rcpt).toMatchObject({ decision: 'final', cause: 'recipient', bounce: { kind: 'hard' } });
    expect(classifyDeliveryError(smtpError('EMESSAGE', 554, 'DATA', '554 5.7.1 spam'))).toMatchObject({
      decision: 'final',
      cause: 'recipient',
    });
  });

  it('reads 503, 5xx at the greeting, AUTH or MAIL FROM, and EAUTH as the relay refusing us: retried, no bounce', () => {
    const cases = [
      smtpError('EENVELOPE', 503, 'RCPT TO', '503 5.5.1 Bad sequence of commands'),
      smtpError('EENVELOPE', 550, 'MAIL FROM', '550 5.7.1 Sender blocked'),
      smtpError('EAUTH', 535, 'AUTH PLAIN', '535 5.7.8 Authentication credentials invalid'),
      smtpError('EPROTOCOL', 554, 'CONN', '554 5.7.1 Your IP is on a blocklist'),
      smtpError('EAUTH', undefined, 'API', 'Missing credentials for "PLAIN"'),
    ];
    for (const err of cases) {
      expect(classifyDeliveryError(err)).toMatchObject({ decision: 'retry', cause: 'relay', bounce: null });
      expect(classifyDeliveryError(err, { lastAttempt: true })).toMatchObject({
        decision: 'final',
        cause: 'relay',
        bounce: null,
      });
    }
  });

  it('reads 4xx and lost connections as temporary, whatever their words say', () => {
    expect(
      classifyDeliveryError(smtpError('EENVELOPE', 451, 'RCPT TO', '451 4.7.1 user unknown, try later')),
    ).toMatchObject({
      decision: 'retry',
      cause: 'temporary',
    });
    expect(
      classifyDeliveryError(smtpError('ECONNECTION', undefined, 'CONN', 'Connection closed')),
    ).toMatchObject({
      decision: 'retry',
      cause: 'temporary',
      code: null,
    });
  });

  it('keeps the words on one line, without control characters or addresses', () => {
    const words = failureWords({
      code: 550,
      response: '5.1.1 <Reader@Example.org>:\r\n\x1b[31muser unknown',
    });
    expect(words).toBe('550 5.1.1 <address>: [31muser unknown');
  });
});
