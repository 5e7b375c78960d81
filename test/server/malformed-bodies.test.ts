import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACCOUNTS, startTestDesk, type TestDesk } from '../helpers/desk-server.ts';
import { startTestServer, type TestServer } from '../helpers/gazette-server.ts';

// Issue 17, point 7: a body a route cannot read is the caller's mistake: 400 and a sentence, at most
// one short log line, never a 500 with a stack trace per request.

/** A log that keeps what it hears, as the server's console would (an error's stack included). */
function captureLog() {
  const lines: string[] = [];
  const log = (message: string, err?: unknown) => {
    lines.push(err === undefined ? message : `${message} ${(err as Error)?.stack ?? String(err)}`);
  };
  const bytes = () => lines.reduce((n, l) => n + Buffer.byteLength(`${l}\n`), 0);
  const lineCount = () => lines.reduce((n, l) => n + l.split('\n').length, 0);
  return { lines, log, bytes, lineCount };
}

/** The answer is a short sentence with no trace of the server's insides. */
function expectSentence(text: string) {
  expect(text.length).toBeLessThan(300);
  expect(text).not.toMatch(/\bat \S+ \(|node_modules|\/work\/|Error:/);
}

const BAD_JSON = '{"email": "a@b.c", "password": ';

describe('the desk API answers an unreadable body with 400', () => {
  let desk: TestDesk;
  let writer: string;
  const logged = captureLog();
  beforeAll(async () => {
    desk = await startTestDesk('malformed-desk', {}, { log: logged.log });
    writer = await desk.signIn(ACCOUNTS.writer);
  });
  afterAll(() => desk?.close());

  const cases: [string, { body?: string; type?: string }][] = [
    ['malformed JSON', { body: BAD_JSON, type: 'application/json' }],
    ['text/plain', { body: 'email=a@b.c&password=x', type: 'text/plain' }],
    ['a form', { body: 'email=a%40b.c&password=x', type: 'application/x-www-form-urlencoded' }],
    ['an empty JSON body', { body: '', type: 'application/json' }],
    ['no body and no Content-Type', {}],
  ];
  for (const [what, { body, type }] of cases) {
    it(`POST /session with ${what}`, async () => {
      const headers: Record<string, string> = type ? { 'content-type': type } : {};
      const res = await desk.call('POST', '/session', { body, headers });
      expect(res.status).toBe(400);
      const answer = (await res.json()) as { error: string };
      expectSentence(answer.error);
    });
  }

  it('POST /issues, PUT /issues/:n and POST /issues/:n/preview with malformed JSON', async () => {
    const headers = { 'content-type': 'application/json', 'if-match': '1' };
    for (const [method, path] of [
      ['POST', '/issues'],
      ['PUT', '/issues/201'],
      ['POST', '/issues/201/preview'],
    ] as const) {
      const res = await desk.call(method, path, { cookie: writer, body: '{"issue": [', headers });
      expect(res.status, `${method} ${path}`).toBe(400);
      expectSentence(((await res.json()) as { error: string }).error);
    }
  });

  it('200 malformed sign-ins add at most one short line each to the log, and no stack', async () => {
    const before = logged.bytes();
    const beforeLines = logged.lineCount();
    for (let i = 0; i < 200; i++) {
      const res = await desk.call('POST', '/session', { body: BAD_JSON, headers: {} });
      await res.body?.cancel();
    }
    const bytes = logged.bytes() - before;
    console.log(JSON.stringify({ 'desk log bytes for 200 malformed sign-ins': bytes }));
    expect(logged.lineCount() - beforeLines).toBeLessThanOrEqual(200);
    expect(bytes).toBeLessThanOrEqual(200 * 120);
    expect(logged.lines.join('\n')).not.toMatch(/\n\s+at /);
  });
});

describe('the public server answers an unreadable body with 400', () => {
  let s: TestServer;
  const logged = captureLog();
  beforeAll(async () => {
    s = await startTestServer(
      'malformed-public',
      { BOUNCE_WEBHOOK_SECRET: 'a-webhook-secret-long-enough-for-the-test' },
      logged.log,
    );
  });
  afterAll(() => s?.close());

  const post = (path: string, body: string, type: string, headers: Record<string, string> = {}) =>
    fetch(`${s.base}${path}`, { method: 'POST', headers: { 'content-type': type, ...headers }, body });

  it('sign-up, bounce webhooks and SES: malformed JSON, a broken form', async () => {
    const auth = { authorization: 'Bearer a-webhook-secret-long-enough-for-the-test' };
    const answers = [
      await post('/subscribe', '{"email": ', 'application/json'),
      await post('/subscribe', '--x\r\nbroken', 'multipart/form-data; boundary=x'),
      await post('/webhooks/bounces', '{"recipient": ', 'application/json', auth),
      await post('/webhooks/ses', '{"Type": ', 'text/plain'),
    ];
    for (const res of answers) {
      expect(res.status, res.url).toBe(400);
      expectSentence(await res.text());
    }
  });

  it('200 malformed sign-ups add at most one short line each to the log, and no stack', async () => {
    const before = logged.bytes();
    for (let i = 0; i < 200; i++) {
      const res = await post('/subscribe', '--x\r\nbroken', 'multipart/form-data; boundary=x');
      await res.body?.cancel();
    }
    const bytes = logged.bytes() - before;
    console.log(JSON.stringify({ 'server log bytes for 200 malformed sign-ups': bytes }));
    expect(bytes).toBeLessThanOrEqual(200 * 120);
    expect(logged.lines.join('\n')).not.toMatch(/\n\s+at /);
  });
});
