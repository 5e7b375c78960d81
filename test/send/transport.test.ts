import { generateKeyPairSync } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Config } from '../../src/config.ts';
import { buildMessageTemplate, type RenderedMessage } from '../../src/send/message/message-template.ts';
import { messageMaker } from '../../src/send/message/send-context.ts';
import { classifyDeliveryError } from '../../src/send/wire/smtp-failure.ts';
import { createMailer } from '../../src/send/wire/transport.ts';
import { sampleCompiled } from '../helpers/compiled.ts';
import { verifyDkim } from '../helpers/dkim-verify.ts';
import { testConfig } from '../helpers/send-env.ts';
import { startTestSink, type TestSink } from '../helpers/smtp-sink.ts';

let sink: TestSink;
let outbox: string;

beforeAll(async () => {
  sink = await startTestSink((address) => {
    if (address.startsWith('dead')) return { code: 550, message: '5.1.1 <dead@example.org>: user unknown' };
    if (address.startsWith('spam')) return { code: 550, message: '5.7.1 message rejected as spam by policy' };
    if (address.startsWith('later')) return { code: 451, message: '4.7.1 greylisted' };
    return null;
  });
  outbox = await mkdtemp(join(tmpdir(), 'gazette-outbox-'));
});

afterAll(async () => {
  await sink?.close();
  await rm(outbox, { recursive: true, force: true });
});

function message(config: Config, email: string, sendId = 'stest1'): RenderedMessage {
  const compiled = sampleCompiled();
  const record = { id: sendId, issue: 201 };
  const template = buildMessageTemplate(compiled, { from: config.MAIL_FROM, list: 'monthly', sendId });
  return messageMaker(config, { record, compiled, template })({ id: 42, email, name: 'Kim' });
}

async function failureFor(config: Config, email: string) {
  const mailer = await createMailer(config);
  try {
    await mailer.send(message(config, email));
    throw new Error('expected a rejection');
  } catch (err) {
    return classifyDeliveryError(err);
  } finally {
    await mailer.close();
  }
}

describe('the transport', () => {
  it('signs with DKIM over the list headers, and the signature verifies on the received bytes', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const config = testConfig('unused', {
      SMTP_URL: sink.url,
      DKIM_DOMAIN: 'gazette.test',
      DKIM_SELECTOR: 'mail2026',
      DKIM_PRIVATE_KEY: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString().replace(/\n/g, '\\n'),
    });
    const mailer = await createMailer(config);
    await mailer.send(message(config, 'signed@example.org'));
    await mailer.close();
    const got = sink.messages.find((m) => m.to[0] === 'signed@example.org');
    const check = verifyDkim(got?.raw as Buffer, publicKey);
    expect(check).toMatchObject({
      bodyHashOk: true,
      signatureOk: true,
      domain: 'gazette.test',
      selector: 'mail2026',
    });
    expect(check.signed).toEqual(
      expect.arrayContaining([
        'from',
        'to',
        'subject',
        'date',
        'message-id',
        'list-unsubscribe',
        'list-unsubscribe-post',
      ]),
    );
    // A changed List-Unsubscribe must break the signature.
    const raw = got?.raw as Buffer;
    const tampered = Buffer.from(raw.toString('latin1').replace('/u/42.', '/u/43.'), 'latin1');
    expect(verifyDkim(tampered, publicKey).signatureOk).toBe(false);
  });

  it('over-signs From, Subject, To and the unsubscribe headers: a second one added on the way breaks the signature', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const config = testConfig('unused', {
      SMTP_URL: sink.url,
      DKIM_DOMAIN: 'gazette.test',
      DKIM_SELECTOR: 'mail2026',
      DKIM_PRIVATE_KEY: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    });
    const mailer = await createMailer(config);
    await mailer.send(message(config, 'oversigned@example.org'));
    await mailer.close();
    const raw = sink.messages.find((m) => m.to[0] === 'oversigned@example.org')?.raw as Buffer;
    const check = verifyDkim(raw, publicKey);
    expect(check).toMatchObject({ bodyHashOk: true, signatureOk: true });
    const added = {
      From: '"Gazette billing" <billing@attacker.example>',
      Subject: 'Your account is suspended: confirm your password',
      To: 'everyone@example.org',
      'List-Unsubscribe': '<https://attacker.example/u>',
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
    };
    for (const [name, value] of Object.entries(added)) {
      // Each appears once in the message and twice in h=: the second names a field that must stay absent.
      expect(
        check.signed.filter((n) => n === name.toLowerCase()),
        name,
      ).toHaveLength(2);
      // A relay or a forwarder puts its field above ours, where a verifier that signs one instance looks last.
      const forged = Buffer.concat([Buffer.from(`${name}: ${value}\r\n`), raw]);
      expect(verifyDkim(forged, publicKey).signatureOk, `a second ${name}`).toBe(false);
    }
  });

  it('without SMTP_URL writes each message to OUTBOX_DIR/<send>/<n>.eml with its Return-Path', async () => {
    const config = testConfig('unused', { OUTBOX_DIR: outbox });
    const mailer = await createMailer(config);
    expect(mailer.target).toBe(`the built-in sink (${outbox})`);
    await mailer.send(message(config, 'one@example.org', 'sdev1'));
    await mailer.send(message(config, 'two@example.org', 'sdev1'));
    await mailer.close();
    expect((await readdir(join(outbox, 'sdev1'))).sort()).toEqual(['1.eml', '2.eml']);
    const eml = await readFile(join(outbox, 'sdev1', '2.eml'), 'latin1');
    expect(eml).toMatch(/^Return-Path: <bounces\+sdev1\.42\.0\.[0-9a-f]{24}@bounce\.gazette\.test>\r\n/);
    expect(eml).toContain('To: Kim <two@example.org>');
  });

  it("sends the server's own mails (a sign-up's confirmation) through the same pool, DKIM-signed, and without SMTP_URL into the sink's OUTBOX_DIR/other/", async () => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const mail = {
      from: 'Gazette <news@gazette.test>',
      to: 'new-reader@example.org',
      subject: 'Confirm your subscription',
      html: '<p>Confirm</p>',
      text: 'Confirm',
    };
    const relayed = await createMailer(
      testConfig('unused', {
        SMTP_URL: sink.url,
        DKIM_DOMAIN: 'gazette.test',
        DKIM_SELECTOR: 'mail2026',
        DKIM_PRIVATE_KEY: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      }),
    );
    await relayed.sendMail(mail);
    await relayed.close();
    const got = sink.messages.find((m) => m.to[0] === 'new-reader@example.org');
    expect(got?.raw.toString('latin1')).toContain('Subject: Confirm your subscription');
    expect(verifyDkim(got?.raw as Buffer, publicKey)).toMatchObject({ bodyHashOk: true, signatureOk: true });
    const local = await createMailer(testConfig('unused', { OUTBOX_DIR: outbox }));
    await local.sendMail(mail);
    await local.close();
    const eml = await readFile(join(outbox, 'other', '1.eml'), 'latin1');
    expect(eml).toMatch(/^Return-Path: <news@gazette\.test>\r\n/);
    expect(eml).toContain('To: new-reader@example.org');
  });

  it('reads a 550 5.1.1 at RCPT as a final hard bounce', async () => {
    const failure = await failureFor(testConfig('unused', { SMTP_URL: sink.url }), 'dead@example.org');
    expect(failure).toMatchObject({
      decision: 'final',
      code: 550,
      bounce: { kind: 'hard', reason: 'user_unknown' },
    });
    expect(failure.response).toContain('5.1.1');
  });

  it('reads a 5.7.1 policy rejection as final but soft (no suppression)', async () => {
    const failure = await failureFor(testConfig('unused', { SMTP_URL: sink.url }), 'spam@example.org');
    expect(failure).toMatchObject({ decision: 'final', code: 550, bounce: { kind: 'soft' } });
  });

  it('reads a 451 and a refused connection as worth retrying, and as final on the last attempt', async () => {
    const deferred = await failureFor(testConfig('unused', { SMTP_URL: sink.url }), 'later@example.org');
    expect(deferred).toMatchObject({ decision: 'retry', code: 451, bounce: null });
    const refused = await failureFor(
      testConfig('unused', { SMTP_URL: 'smtp://127.0.0.1:1' }),
      'a@example.org',
    );
    expect(refused).toMatchObject({ decision: 'retry', code: null });
    const mailer = await createMailer(testConfig('unused', { SMTP_URL: sink.url }));
    const err = await mailer
      .send(message(testConfig('unused'), 'later@example.org'))
      .catch((e: unknown) => e);
    await mailer.close();
    expect(classifyDeliveryError(err, { lastAttempt: true })).toMatchObject({
      decision: 'final',
      bounce: { kind: 'soft' },
    });
  });
});
