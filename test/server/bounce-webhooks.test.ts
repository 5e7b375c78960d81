import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBounceStore } from '../../src/bounces/bounce-store.ts';
import { createSnsVerifier, type SnsMessage } from '../../src/bounces/sources/sns.ts';
import type { Config } from '../../src/config.ts';
import { createSendStore } from '../../src/send/record/send-store.ts';
import { type RunningServer, startServer } from '../../src/server/public/start.ts';
import { createSubscriberStore, type SubscriberStore } from '../../src/subscribers/subscriber-store.ts';
import { signToken } from '../../src/tokens.ts';
import { createConfirmWorker } from '../../workers/confirm.worker.ts';
import { sampleCompiled } from '../helpers/compiled.ts';
import { type TestRedis, testRedis } from '../helpers/redis.ts';
import { testConfig } from '../helpers/send-env.ts';
import { serverStores } from '../helpers/server-stores.ts';
import { type FakeSns, startFakeSns } from '../helpers/sns-signer.ts';

const TOPIC = 'arn:aws:sns:us-east-1:123456789012:gazette-ses';
const SECRET = 'webhook-secret-0123456789abcdef0123456789';
let t: TestRedis;
let config: Config;
let store: SubscriberStore;
let sns: FakeSns;
let server: RunningServer;
let url: string;
const logs: string[] = [];

beforeAll(async () => {
  t = await testRedis('webhooks');
  config = testConfig(t.prefix, { SES_TOPIC_ARNS: TOPIC, BOUNCE_WEBHOOK_SECRET: SECRET });
  store = createSubscriberStore({ redis: t.redis, prefix: t.prefix });
  sns = await startFakeSns();
  const mailer = nodemailer.createTransport({ jsonTransport: true });
  server = await startServer(
    {
      confirmWorker: createConfirmWorker,
      redis: t.redis,
      subscribers: store,
      ...serverStores(t.redis, config),
      config,
      mailer,
      snsTrust: sns.trust,
      log: (m) => logs.push(m),
    },
    0,
    '127.0.0.1',
  );
  url = `http://127.0.0.1:${server.port}`;
});

afterAll(async () => {
  await server?.close();
  await sns?.close();
  await t?.cleanup();
});

const bounces = () => createBounceStore({ redis: t.redis, prefix: t.prefix, rawDays: 14, softDays: 30 });

async function subscriber(email: string): Promise<number> {
  const [row] = await store.createMany([{ email, name: '', locale: 'en', status: 'active', lists: ['l'] }]);
  return row?.id as number;
}

async function post(path: string, body: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(`${url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'text/plain; charset=UTF-8', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

function notification(message: object, over: Partial<SnsMessage> = {}): SnsMessage {
  return sns.sign({
    Type: 'Notification',
    MessageId: `m-${Math.random()}`,
    TopicArn: TOPIC,
    Message: JSON.stringify(message),
    Timestamp: new Date().toISOString(),
    SignatureVersion: '2',
    ...over,
  });
}

function sesBounce(email: string, source = 'news@gazette.test', feedbackId = `fb-${Math.random()}`) {
  return {
    notificationType: 'Bounce',
    bounce: {
      bounceType: 'Permanent',
      bounceSubType: 'General',
      bouncedRecipients: [
        {
          emailAddress: email,
          action: 'failed',
          status: '5.1.1',
          diagnosticCode: 'smtp; 550 5.1.1 user unknown',
        },
      ],
      timestamp: '2026-05-01T00:00:00.000Z',
      feedbackId,
    },
    mail: { timestamp: '2026-05-01T00:00:00.000Z', source, messageId: 'ses-1', destination: [email] },
  };
}

describe('SES webhook (SNS)', () => {
  it('a correctly signed bounce notification suppresses the address and names the send from the VERP sender', async () => {
    const id = await subscriber('ses-dead@example.org');
    const sends = createSendStore({ redis: t.redis, prefix: t.prefix, bounces: bounces() });
    const send = {
      id: 'sses1',
      list: 'l',
      from: 'Gazette <news@gazette.test>',
      issue: 201,
      subject: 's',
      state: 'done' as const,
      at: 1,
      createdAt: 1,
      startedAt: 1,
      doneAt: 2,
      lastAt: 2,
      fanoutDone: true,
      cursor: 0,
      expected: 1,
      testTo: null,
      reason: null,
    };
    await sends.create(send, sampleCompiled());
    const verp = `bounces+${signToken(config.GAZETTE_SECRET, 'bounce', ['sses1', String(id)])}@${config.BOUNCE_DOMAIN}`;
    const message = notification(sesBounce('ses-dead@example.org', verp, 'fb-1'));
    const res = await post('/webhooks/ses', message);
    expect(res).toEqual({
      status: 200,
      body: { ok: true, events: 1, recorded: 1, repeats: 0, suppressed: 1 },
    });
    expect(await store.get(id)).toMatchObject({
      status: 'bounced',
      left: { via: 'bounce', by: 'ses:user_unknown', sendId: 'sses1' },
    });
    expect((await bounces().forAddress('ses-dead@example.org'))[0]).toMatchObject({
      source: 'ses',
      send: 'sses1',
      verified: true,
      reason: 'user_unknown',
      diagnostic: 'smtp; 550 5.1.1 user unknown',
    });
    // SNS delivers at least once: the same notification again changes nothing.
    expect((await post('/webhooks/ses', message)).body).toMatchObject({ recorded: 0, repeats: 1 });
    expect(sns.requests.filter((r) => r.endsWith('.pem'))).toHaveLength(1);
  });

  it('a SignatureVersion 1 complaint marks the subscriber complained', async () => {
    const id = await subscriber('ses-angry@example.org');
    const complaint = {
      notificationType: 'Complaint',
      complaint: {
        complainedRecipients: [{ emailAddress: 'ses-angry@example.org' }],
        timestamp: '2026-05-01T00:00:00.000Z',
        feedbackId: 'fb-complaint',
        complaintFeedbackType: 'abuse',
      },
      mail: { messageId: 'ses-2', source: 'news@gazette.test' },
    };
    const res = await post(
      '/webhooks/ses',
      notification(complaint, { SignatureVersion: '1', Subject: 'Complaint' }),
    );
    expect(res.body).toMatchObject({ ok: true, recorded: 1, suppressed: 1 });
    expect(await store.get(id)).toMatchObject({ status: 'complained' });
  });

  it('refuses a badly signed notification with 403 and changes nothing', async () => {
    const id = await subscriber('ses-safe@example.org');
    const good = notification(sesBounce('someone-else@example.org'));
    const tampered = { ...good, Message: JSON.stringify(sesBounce('ses-safe@example.org')) };
    expect(await post('/webhooks/ses', tampered)).toEqual({
      status: 403,
      body: { error: 'The SNS signature was not accepted: the signature does not match the message.' },
    });
    const garbage = {
      ...notification(sesBounce('ses-safe@example.org')),
      Signature: Buffer.from('nope').toString('base64'),
    };
    expect((await post('/webhooks/ses', garbage)).status).toBe(403);
    expect(await store.get(id)).toMatchObject({ status: 'active' });
    expect(await store.isSuppressed('ses-safe@example.org')).toBe(false);
    expect(await bounces().forAddress('ses-safe@example.org')).toEqual([]);
    expect(logs).toContain(
      `SES webhook: refused message ${tampered.MessageId}: the signature does not match the message`,
    );
  });

  it('never fetches a signing certificate from a host it does not trust', async () => {
    const before = sns.requests.length;
    const message = {
      ...notification(sesBounce('ses-x@example.org')),
      SigningCertURL: 'https://evil.example/cert.pem',
    };
    expect(await post('/webhooks/ses', message)).toEqual({
      status: 403,
      body: {
        error:
          'The SNS signature was not accepted: the signing certificate URL is not an Amazon SNS https URL.',
      },
    });
    expect(sns.requests.length).toBe(before);
  });

  it('in production trusts only sns.<region>.amazonaws.com, so the test certificate is refused', async () => {
    const strict = createSnsVerifier();
    expect(await strict.verify(notification(sesBounce('x@example.org')))).toEqual({
      ok: false,
      reason: 'the signing certificate URL is not an Amazon SNS https URL',
    });
  });

  it('refuses a topic that is not in SES_TOPIC_ARNS', async () => {
    const other = 'arn:aws:sns:us-east-1:999999999999:someone-elses';
    expect(
      await post('/webhooks/ses', notification(sesBounce('x@example.org'), { TopicArn: other })),
    ).toEqual({
      status: 403,
      body: { error: `The topic ${other} is not one Gazette accepts (SES_TOPIC_ARNS).` },
    });
  });

  it('writes SES fields with a newline into one log line, never a forged line of its own', async () => {
    const forged = 'SES webhook: confirmed the subscription to arn:aws:sns:us-east-1:123456789012:evil';
    const before = logs.length;
    const topic = `arn:aws:sns:us-east-1:999999999999:x\n${forged}`;
    await post('/webhooks/ses', notification(sesBounce('x@example.org'), { TopicArn: topic }));
    const signed = notification(sesBounce('x@example.org'));
    await post('/webhooks/ses', { ...signed, MessageId: `m-1\r\n${forged}\u2028${forged}` });
    const lines = logs.slice(before);
    expect(lines).toHaveLength(2);
    for (const line of lines) {
      expect(line).not.toMatch(/[\r\n\u2028\u2029]/);
      expect(line.startsWith('SES webhook: refused')).toBe(true);
    }
    expect(
      lines
        .join('\n')
        .split('\n')
        .filter((l) => l.startsWith(forged)),
    ).toEqual([]);
  });

  it('confirms a subscription by visiting its SubscribeURL only on a trusted host', async () => {
    const confirmation = (subscribeUrl: string) =>
      sns.sign({
        Type: 'SubscriptionConfirmation',
        MessageId: 'c1',
        TopicArn: TOPIC,
        Message: 'You have chosen to subscribe to the topic.',
        SubscribeURL: subscribeUrl,
        Token: 'tok123',
        Timestamp: new Date().toISOString(),
        SignatureVersion: '2',
      });
    const res = await post(
      '/webhooks/ses',
      confirmation(`${sns.base}/?Action=ConfirmSubscription&Token=tok123`),
    );
    expect(res).toEqual({ status: 200, body: { ok: true, confirmed: TOPIC } });
    expect(sns.requests).toContain('/?Action=ConfirmSubscription&Token=tok123');
    const before = sns.requests.length;
    expect(
      await post('/webhooks/ses', confirmation('https://evil.example/?Action=ConfirmSubscription')),
    ).toEqual({
      status: 403,
      body: { error: 'The subscription was not confirmed: the SubscribeURL is not an Amazon SNS https URL.' },
    });
    expect(sns.requests.length).toBe(before);
  });

  it('answers 400 with a JSON error for a body that is not an SNS message', async () => {
    const res = await post('/webhooks/ses', 'hello');
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('The body is not an Amazon SNS message.');
    const partial = await post('/webhooks/ses', { Type: 'Notification' });
    expect(partial.status).toBe(400);
    expect(Object.keys((partial.body.details as { fieldErrors: object }).fieldErrors)).toContain('Signature');
    const notSes = await post('/webhooks/ses', notification({ hello: 'world' }));
    expect(notSes).toMatchObject({
      status: 400,
      body: { error: 'The SNS Message is not an Amazon SES notification.' },
    });
  });
});

describe('generic bounce webhook', () => {
  const auth = { authorization: `Bearer ${SECRET}` };

  it('refuses a wrong or missing secret with 401', async () => {
    const body = { email: 'x@example.org', kind: 'hard' };
    const wrong = await post('/webhooks/bounces', body, { authorization: `Bearer ${SECRET.slice(0, -1)}x` });
    expect(wrong).toEqual({
      status: 401,
      body: { error: 'Missing or wrong secret: send "Authorization: Bearer <BOUNCE_WEBHOOK_SECRET>".' },
    });
    expect((await post('/webhooks/bounces', body)).status).toBe(401);
    expect(await store.isSuppressed('x@example.org')).toBe(false);
  });

  it('records events: a hard bounce suppresses, a policy refusal called hard stays soft', async () => {
    const id = await subscriber('hook-dead@example.org');
    await subscriber('hook-filtered@example.org');
    const res = await post(
      '/webhooks/bounces',
      {
        events: [
          {
            email: 'hook-dead@example.org',
            kind: 'hard',
            status: '5.1.1',
            diagnostic: 'user unknown',
            id: 'e1',
          },
          {
            email: 'hook-filtered@example.org',
            kind: 'hard',
            diagnostic: '554 5.7.1 rejected by content policy',
            id: 'e2',
          },
        ],
      },
      auth,
    );
    expect(res).toEqual({
      status: 200,
      body: { ok: true, events: 2, recorded: 2, repeats: 0, suppressed: 1 },
    });
    expect(await store.get(id)).toMatchObject({ status: 'bounced', left: { by: 'webhook:user_unknown' } });
    expect(await store.isSuppressed('hook-filtered@example.org')).toBe(false);
    const again = await post(
      '/webhooks/bounces',
      { email: 'hook-dead@example.org', kind: 'hard', id: 'e1' },
      auth,
    );
    expect(again.body).toMatchObject({ recorded: 0, repeats: 1 });
  });

  it('answers 400 naming each bad field, and records nothing from that body', async () => {
    const res = await post(
      '/webhooks/bounces',
      {
        events: [
          { email: 'ok@example.org', kind: 'hard' },
          { email: 'not-an-address', kind: 'sideways' },
        ],
      },
      auth,
    );
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('The body is not a bounce event or {"events": [...]}.');
    expect(JSON.stringify(res.body.details)).toContain('\\"not-an-address\\" is not a valid e-mail address');
    expect(await store.isSuppressed('ok@example.org')).toBe(false);
    expect(await post('/webhooks/bounces', '{not json', auth)).toEqual({
      status: 400,
      body: { error: 'The body is not JSON.' },
    });
  });

  it('refuses a body over 256 KB with 413', async () => {
    const big = { events: [{ email: 'a@example.org', kind: 'soft', diagnostic: 'x'.repeat(300 * 1024) }] };
    expect(await post('/webhooks/bounces', big, auth)).toEqual({
      status: 413,
      body: { error: 'The body is larger than 262144 bytes.' },
    });
  });

  it('is off, and says how to turn it on, without BOUNCE_WEBHOOK_SECRET', async () => {
    const off = await startServer(
      {
        confirmWorker: createConfirmWorker,
        redis: t.redis,
        subscribers: store,
        ...serverStores(t.redis, config),
        config: testConfig(t.prefix),
        mailer: nodemailer.createTransport({ jsonTransport: true }),
      },
      0,
      '127.0.0.1',
    );
    try {
      const res = await fetch(`http://127.0.0.1:${off.port}/webhooks/bounces`, {
        method: 'POST',
        body: '{}',
      });
      expect(res.status).toBe(404);
      expect(await res.json()).toEqual({
        error: 'The bounce webhook is off; set BOUNCE_WEBHOOK_SECRET to turn it on.',
      });
    } finally {
      await off.close();
    }
  });
});
