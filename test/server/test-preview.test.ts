import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bounceStoreOf } from '../../src/bounces/policy.ts';
import { sendTest } from '../../src/send/control/schedule.ts';
import { TEST_PREVIEW_DAYS, testPreviewUrl } from '../../src/send/message/test-preview.ts';
import { createSendStore } from '../../src/send/record/send-store.ts';
import { createMailer, type Mailer } from '../../src/send/wire/transport.ts';
import { startTestServer, type TestServer } from '../helpers/gazette-server.ts';

let s: TestServer;
let mailer: Mailer;
let webUrl: string;
let sendId: string;

beforeAll(async () => {
  s = await startTestServer('test-preview');
  const config = { ...s.config, SMTP_URL: `smtp://127.0.0.1:${s.smtp.port}` };
  mailer = await createMailer(config);
  const sends = createSendStore({
    redis: s.t.redis,
    prefix: s.config.REDIS_PREFIX,
    bounces: bounceStoreOf(s.t.redis, s.config),
  });
  const record = await sendTest(
    { config, sends, mailer },
    { issueFile: 'issues/201.json', to: 'editor@example.org' },
  );
  sendId = record.id;
  const mail = await s.smtp.next(10_000);
  // The text part names the web version in words: "view in browser: <url>".
  webUrl = /(http:\/\/gazette\.test\/archive\/\S+)/.exec(mail.text ?? '')?.[1] ?? '';
  expect(mail.html).toContain(webUrl.replaceAll('&', '&amp;'));
}, 60_000);
afterAll(async () => {
  await mailer?.close();
  await s?.close();
});

const local = (url: string) => url.replace(s.config.PUBLIC_URL, s.base);

describe("a test mail's view-in-browser link", () => {
  it('is a signed preview of that send, which the server answers with the issue', async () => {
    expect(webUrl).toMatch(/^http:\/\/gazette\.test\/archive\/test\/[a-z0-9.-]+$/);
    const res = await fetch(local(webUrl));
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('ソウル市、ペルーの首都リマとスマートシティ政策を共有');
    expect(html).not.toContain('%%GZ_');
    expect(res.headers.get('x-robots-tag')).toBe('noindex');
    // The test send is not published: the archive itself still has no No.201.
    expect((await fetch(`${s.base}/archive/201`)).status).toBe(404);
  });

  it('refuses a tampered token, a token for another send and an expired one', async () => {
    const token = webUrl.split('/').at(-1) as string;
    const tampered = `${token.slice(0, -1)}${token.endsWith('0') ? '1' : '0'}`;
    expect((await fetch(`${s.base}/archive/test/${tampered}`)).status).toBe(404);
    const otherSend = testPreviewUrl(s.config, 'not-a-send');
    expect((await fetch(local(otherSend))).status).toBe(404);
    const old = testPreviewUrl(s.config, sendId, Date.now() - (TEST_PREVIEW_DAYS + 1) * 86_400_000);
    const expired = await fetch(local(old));
    expect(expired.status).toBe(404);
    expect(await expired.text()).toContain('expired');
  });
});
