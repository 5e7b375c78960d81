import type { ParsedMail } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONFIRM_DAYS } from '../../src/subscribers/signup/double-opt-in.ts';
import { unsubscribeToken } from '../../src/subscribers/unsubscribe.ts';
import { theme } from '../../templates/issue/theme.ts';
import { pageStrings } from '../../templates/locales/chrome-strings.ts';
import { startTestServer, type TestServer } from '../helpers/gazette-server.ts';

let s: TestServer;

beforeAll(async () => {
  // This file is about the opt-in itself; signup-abuse.test.ts holds the per-IP limit at its default.
  s = await startTestServer('subscribe', { SIGNUP_IP_LIMIT: '1000' });
});
afterAll(() => s.close());

const subscribeForm = (fields: Record<string, string>) =>
  fetch(`${s.base}/subscribe`, { method: 'POST', body: new URLSearchParams(fields), redirect: 'manual' });
const subscribeJson = (body: unknown) =>
  fetch(`${s.base}/subscribe`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });

/** The confirmation link in a mail; checks it is the same in the HTML and the text part. */
function confirmLink(mail: ParsedMail): string {
  const inText = /http:\/\/gazette\.test\/confirm\/[a-z0-9._-]+/.exec(mail.text ?? '')?.[0];
  expect(inText).toBeDefined();
  expect(mail.html).toContain(`href="${inText}"`);
  return `${s.base}${new URL(inText ?? '').pathname}`;
}

/** Presses the button of the confirmation page: a POST to the link. */
function pressConfirm(link: string): Promise<Response> {
  return fetch(link, { method: 'POST', redirect: 'manual' });
}

describe('double opt-in', () => {
  it('subscribe → confirmation mail in the chosen language → link → active, with consent recorded', async () => {
    const res = await subscribeForm({ email: 'Min.Ji@Example.KR', name: '김민지', locale: 'ko' });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('Min.Ji@example.kr(으)로 확인 메일을 보냈습니다.');

    const { mail, link } = await s.nextConfirmation();
    expect(mail.subject).toBe('뉴스레터 구독을 확인해 주세요');
    expect(mail.from?.value).toEqual([{ name: 'Gazette', address: 'news@gazette.test' }]);
    expect(mail.to && 'text' in mail.to ? mail.to.text : '').toBe('Min.Ji@example.kr');
    // The mail greets no one by the name typed into the form: the form must not mail strangers' words.
    expect(mail.text).toContain('안녕하세요.');
    expect(`${mail.text}${mail.html}`).not.toContain('김민지');
    expect(mail.text).toContain(`이 링크는 ${CONFIRM_DAYS}일 동안 유효합니다.`);
    expect(confirmLink(mail)).toBe(link);
    const pending = await s.subscribers.findByEmail('min.ji@example.kr');
    expect(pending).toMatchObject({ status: 'pending', name: '김민지', locale: 'ko', consent: null });
    expect(await s.subscribers.pageList('default', 0, 10)).toEqual([]);

    // Following the link only asks (mail scanners follow links); the button confirms.
    const asked = await fetch(link, { redirect: 'manual' });
    expect(asked.status).toBe(200);
    const page = await asked.text();
    expect(page).toContain('Min.Ji@example.kr 주소로 뉴스레터 구독을 시작하시겠습니까?');
    expect(page).toContain(`<form action="${new URL(link).pathname}" method="post">`);
    expect((await s.subscribers.get(pending?.id ?? 0))?.status).toBe('pending');

    const confirmed = await pressConfirm(link);
    expect(confirmed.status).toBe(200);
    expect(await confirmed.text()).toContain(
      '감사합니다. 이제 Min.Ji@example.kr(으)로 뉴스레터를 받아 보실 수 있습니다.',
    );
    const active = await s.subscribers.get(pending?.id ?? 0);
    expect(active?.status).toBe('active');
    expect(active?.consent).toMatchObject({
      source: 'form',
      by: '127.0.0.1',
      formUrl: 'http://gazette.test/subscribe?lang=ko',
    });
    expect((await s.subscribers.wordings())[active?.consent?.wordingId ?? '']).toBe(
      pageStrings('ko').subscribe.consent,
    );
    expect(await s.subscribers.pageList('default', 0, 10)).toEqual([pending?.id]);

    const again = await fetch(link);
    expect(again.status).toBe(200);
    expect(await again.text()).toContain('이미 구독 중입니다');
  });

  it('takes JSON with one of our wording ids; each request gets its own confirmation with exactly its lists', async () => {
    await s.subscribers.createMany([
      { email: 'someone@example.com', name: '', locale: 'en', status: 'active', lists: ['weekly'] },
    ]);
    const form = await (await fetch(`${s.base}/subscribe?lang=en`)).text();
    const wording = /name="wording" value="([0-9a-f]+)"/.exec(form)?.[1] ?? '';
    const first = await subscribeJson({ email: 'api@example.com', locale: 'ja', wording });
    expect([first.status, await first.json()]).toEqual([202, { status: 'pending' }]);
    const firstMail = await s.nextConfirmation();
    expect(firstMail.mail.subject).toBe('ニュースレター購読の確認のお願い');

    // A second request (anyone's) does not add its lists to the first one: it is a confirmation of its own.
    const second = await subscribeJson({ email: 'api@example.com', locale: 'en', lists: ['weekly'] });
    expect([second.status, await second.json()]).toEqual([202, { status: 'pending' }]);
    const secondMail = await s.nextConfirmation();
    expect(secondMail.mail.subject).toBe('Please confirm your subscription');
    expect((await pressConfirm(firstMail.link)).status).toBe(400);
    expect((await pressConfirm(secondMail.link)).status).toBe(200);
    const subscriber = await s.subscribers.findByEmail('api@example.com');
    expect(await s.subscribers.listsOf([subscriber?.id ?? 0])).toEqual([['weekly']]);
    expect(subscriber?.consent).toMatchObject({ source: 'api' });
    expect((await s.subscribers.wordings())[subscriber?.consent?.wordingId ?? '']).toBe(
      pageStrings('en').subscribe.consent,
    );
  });

  it('needs a fresh confirmation to re-subscribe after unsubscribing; the old link stays dead', async () => {
    await subscribeForm({ email: 'again@example.jp', locale: 'ja' });
    const oldLink = (await s.nextConfirmation()).link;
    await pressConfirm(oldLink);
    const id = (await s.subscribers.findByEmail('again@example.jp'))?.id ?? 0;
    const token = unsubscribeToken(s.config.GAZETTE_SECRET, id, '0');
    await fetch(`${s.base}/u/${token}`, {
      method: 'POST',
      body: new URLSearchParams({ 'List-Unsubscribe': 'One-Click' }),
    });
    expect((await s.subscribers.get(id))?.status).toBe('unsubscribed');

    for (const old of [await fetch(oldLink), await pressConfirm(oldLink)]) {
      expect(old.status).toBe(400);
      expect(await old.text()).toContain('This link has already been used');
    }
    expect((await s.subscribers.get(id))?.status).toBe('unsubscribed');

    await subscribeForm({ email: 'again@example.jp', locale: 'ja' });
    const { link } = await s.nextConfirmation();
    expect((await s.subscribers.get(id))?.status).toBe('unsubscribed');
    expect(await s.subscribers.isSuppressed('again@example.jp')).toBe(true);
    const res = await pressConfirm(link);
    expect(res.status).toBe(200);
    expect((await s.subscribers.get(id))?.status).toBe('active');
    expect((await s.subscribers.get(id))?.left).toBeNull();
    expect(await s.subscribers.isSuppressed('again@example.jp')).toBe(false);
  });

  it('refuses an expired confirmation link with a 400 page and changes nothing', async () => {
    await subscribeForm({ email: 'late@example.jp', locale: 'en' });
    const { link } = await s.nextConfirmation();
    s.advance((CONFIRM_DAYS + 1) * 86_400_000);
    const res = await pressConfirm(link);
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('The link has expired.');
    expect((await s.subscribers.findByEmail('late@example.jp'))?.status).toBe('pending');
  });

  it('refuses a confirmation link that was tampered with', async () => {
    await subscribeForm({ email: 'tamper@example.jp', locale: 'en' });
    const { link } = await s.nextConfirmation();
    const other = (await s.subscribers.findByEmail('late@example.jp'))?.id ?? 0;
    const tampered = link.replace(/\/confirm\/\d+\./, `/confirm/${other}.`);
    const res = await pressConfirm(tampered);
    expect(res.status).toBe(400);
    expect((await fetch(tampered)).status).toBe(400);
    expect((await s.subscribers.findByEmail('tamper@example.jp'))?.status).toBe('pending');
    expect((await s.subscribers.findByEmail('late@example.jp'))?.status).toBe('pending');
  });
});

describe('POST /subscribe validation', () => {
  it('answers bad JSON and a bad address with 400 and field errors', async () => {
    const broken = await subscribeJson('{"email":');
    expect([broken.status, await broken.json()]).toEqual([400, { error: 'the body is not valid JSON' }]);
    const bad = await subscribeJson({ email: 'bob@', lists: ['no such list'] });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({
      error: 'invalid',
      fields: {
        email: ['"bob@" is not a valid e-mail address'],
        lists: ['"no such list" is not a valid list name (letters, digits, - _ . only)'],
      },
    });
    const unknown = await subscribeJson({ email: 'x@example.com', list: 'staff-only' });
    expect([unknown.status, await unknown.json()]).toEqual([
      400,
      { error: 'invalid', fields: { lists: ['unknown list: staff-only'] } },
    ]);
  });

  it('shows the form again with the problem, escaping what was typed', async () => {
    const res = await subscribeForm({
      email: '<script>alert(1)</script>',
      name: '"><img src=x onerror=alert(1)>',
      locale: 'ja',
    });
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toContain('メールアドレスが正しくありません。');
    expect(html).toContain('value="&lt;script&gt;alert(1)&lt;/script&gt;"');
    expect(html).toContain('value="&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"');
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('<img');
  });

  it("serves the form in the visitor's language", async () => {
    const res = await fetch(`${s.base}/subscribe`, {
      headers: { 'accept-language': 'fr-FR, ko;q=0.8, en;q=0.5' },
    });
    const html = await res.text();
    expect(html).toContain('<html lang="ko">');
    expect(html).toContain(pageStrings('ko').subscribe.consent);
  });

  it('records the language the form was shown in: the zh page signs up a zh reader, mailed in Chinese', async () => {
    const res = await fetch(`${s.base}/subscribe`, {
      headers: { 'accept-language': 'zh-CN,zh;q=0.9,en;q=0.5' },
    });
    const html = await res.text();
    expect(html).toContain('<html lang="zh">');
    expect(html).toContain('<h1>订阅简报</h1>');
    // The fields a browser sends back: every hidden input, then what the reader types.
    const fields = Object.fromEntries(
      [...html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"\/>/g)].map((m) => [m[1], m[2]]),
    );
    expect(fields.locale).toBe('zh');
    const sent = await subscribeForm({ ...fields, email: 'wang.fang@example.cn' });
    expect(sent.status).toBe(200);
    expect(await sent.text()).toContain('我们已向 wang.fang@example.cn 发送了一封确认邮件。');
    const { mail } = await s.nextConfirmation();
    expect(mail.subject).toBe('请确认您的订阅');
    expect(await s.subscribers.findByEmail('wang.fang@example.cn')).toMatchObject({
      status: 'pending',
      locale: 'zh',
    });
  });
});

describe('the public pages wear the newsletter', () => {
  it("name it (MAIL_FROM's display name) in the title and the masthead, in the issue's brand colour", async () => {
    const seoul = await startTestServer('subscribe-brand', {
      MAIL_FROM: '"I · SEOUL · U" <news@seoul.test>',
    });
    try {
      for (const path of ['/subscribe?lang=ja', '/u/not-a-token', '/confirm/not-a-token']) {
        const html = await (await fetch(`${seoul.base}${path}`)).text();
        expect(html, path).toMatch(/<title>[^<]+ · I · SEOUL · U<\/title>/);
        expect(html, path).toContain('<header class="masthead">I · SEOUL · U</header>');
        expect(html, path).toContain(`background:${theme.brand}`);
      }
    } finally {
      await seoul.close();
    }
  });
});
