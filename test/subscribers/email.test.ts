import { describe, expect, it } from 'vitest';
import { emailKey, normaliseEmail } from '../../src/subscribers/email.ts';
import { SubscriberInput } from '../../src/subscribers/subscriber-schema.ts';

describe('normaliseEmail', () => {
  it('trims, lower-cases the domain, keeps the local part and converts IDN domains to punycode', () => {
    expect(normaliseEmail('  Taro.Yamada@Example.CO.JP ')).toEqual({
      ok: true,
      email: 'Taro.Yamada@example.co.jp',
    });
    expect(normaliseEmail('hanako@例え.テスト')).toEqual({
      ok: true,
      email: 'hanako@xn--r8jz45g.xn--zckzah',
    });
    expect(normaliseEmail('kim@한국.kr')).toEqual({ ok: true, email: 'kim@xn--3e0b707e.kr' });
  });

  it('refuses addresses that cannot receive mail, naming the value', () => {
    for (const bad of [
      'bob@',
      '@example.com',
      'no-at-sign',
      'a b@example.com',
      'a@localhost',
      'a@b..com',
      'a@1.2.3.4',
      'a..b@x.com',
    ]) {
      expect(normaliseEmail(bad)).toEqual({
        ok: false,
        reason: `${JSON.stringify(bad)} is not a valid e-mail address`,
      });
    }
    expect(normaliseEmail('  ')).toEqual({ ok: false, reason: 'the e-mail address is empty' });
    expect(normaliseEmail(`${'a'.repeat(65)}@example.com`).ok).toBe(false);
  });

  it('uses one key for addresses that differ only in case', () => {
    expect(emailKey('Taro@example.jp')).toBe(emailKey('taro@example.jp'));
    expect(emailKey('Taro@example.jp')).toBe('taro@example.jp');
  });
});

describe('SubscriberInput', () => {
  it('cleans names (control characters, line breaks) and lower-cases locale and lists', () => {
    const row = SubscriberInput.parse({
      email: 'a@example.com',
      name: ' Line one\r\nline\ttwo ',
      locale: 'JA',
      lists: ['VIP'],
    });
    expect(row).toEqual({ email: 'a@example.com', name: 'Line one line two', locale: 'ja', lists: ['vip'] });
  });

  it('says what is wrong with a locale, a list or a status', () => {
    const result = SubscriberInput.safeParse({
      email: 'a@example.com',
      locale: 'fr',
      lists: ['a list'],
      status: 'gone',
    });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.message)).toEqual([
      '"fr" is not a supported locale (ja, en, ko, zh)',
      '"a list" is not a valid list name (letters, digits, - _ . only)',
      '"gone" is not a status (pending, active, unsubscribed, bounced, complained)',
    ]);
  });
});
