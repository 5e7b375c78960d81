import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../src/free-port.ts';
import { startTestIdp, type TestIdp } from '../helpers/oidc-idp.ts';
import { type DeskApp, PASSWORD, startDeskApp } from './desk-app.ts';
import {
  type AxeFigures,
  checkPage,
  collectErrors,
  ensureDeskBundle,
  hasChromium,
  launchChromium,
  pageWidth,
} from './desk-browser.ts';

// Issue 22, item 3 in Chromium: the desk's sign-in page, a real OpenID Provider's own sign-in form
// (oidc-provider's), and back into the desk, in Japanese.

/** Screenshots of the sign-in page with the provider's button, in Japanese at 1280 and 375 px. */
const SHOTS = '/tmp/desk-sso';
const MAPPING = 'newsletter-editors=writer,editor;newsletter-senders=sender';
const ADMIN = 'admin@city.example';

let idp: TestIdp;
let desk: DeskApp;
let only: DeskApp;
let browser: Browser;
const figures: AxeFigures[] = [];

beforeAll(async () => {
  ensureDeskBundle();
  const origin = `http://127.0.0.1:${await freePort()}`;
  const onlyOrigin = `http://127.0.0.1:${await freePort()}`;
  idp = await startTestIdp(
    [origin, onlyOrigin].map((o) => `${o}/desk/auth/oidc/callback`),
    {
      hana: {
        email: 'hana@city.example',
        email_verified: true,
        name: '山田 花子',
        groups: ['newsletter-editors'],
      },
      ken: { email: 'ken@city.example', email_verified: true, name: '佐藤 健', groups: ['parks'] },
    },
  );
  const oidc = {
    OIDC_ISSUER: idp.issuer,
    OIDC_CLIENT_ID: idp.clientId,
    OIDC_CLIENT_SECRET: idp.clientSecret,
    OIDC_ROLES: MAPPING,
    OIDC_SCOPES: 'openid email profile groups',
    OIDC_NAME: '市役所ID',
  };
  desk = await startDeskApp({ [ADMIN]: ['admin'] }, 0, { DESK_URL: origin, PUBLIC_URL: origin, ...oidc });
  only = await startDeskApp({ [ADMIN]: ['admin'] }, 0, {
    DESK_URL: onlyOrigin,
    PUBLIC_URL: onlyOrigin,
    ...oidc,
    OIDC_ONLY: 'on',
  });
  browser = await launchChromium();
}, 180_000);
afterAll(async () => {
  await browser?.close();
  await only?.close();
  await desk?.close();
  await idp?.close();
  console.log(JSON.stringify({ axe: figures }));
});

/** A fresh Japanese browser at `width` px on the desk at `origin`. */
async function japanese(origin: string, width = 1280): Promise<{ page: Page; errors: string[] }> {
  const context = await browser.newContext({ locale: 'ja-JP', viewport: { width, height: 800 } });
  const page = await context.newPage();
  const errors = collectErrors(page);
  await page.goto(`${origin}/desk/`);
  await page.getByRole('heading', { name: 'Gazette デスクにサインイン' }).waitFor();
  return { page, errors };
}

/**
 * Presses the provider's button and, unless the provider `remembers` the browser's earlier sign-in,
 * signs in as `login` on the provider's own form.
 */
async function throughProvider(page: Page, login: string, remembers = false): Promise<void> {
  await page.getByRole('link', { name: '市役所IDでサインイン' }).click();
  if (remembers) return;
  await page.locator('input[name="login"]').fill(login);
  await page.locator('input[name="password"]').fill('any password');
  await page.getByRole('button', { name: 'Sign-in' }).click();
}

/** A state or nonce no party of the test made. */
const FORGED = 'forged-by-someone-on-the-way-0123456789abcdef';

/**
 * Lets `change` alter where a redirect chain of `page` leads when it passes from one server to the
 * other (as someone on the way would). Playwright intercepts only the first request of a chain, so
 * the hops within one server are followed here, with the context's cookies.
 */
async function rewriteRedirects(page: Page, change: (to: URL) => void): Promise<void> {
  // Only the test's own servers: the provider's form asks the web for a font, which stays unanswered.
  await page.route(/^http:\/\/127\.0\.0\.1:/, async (route) => {
    let url = new URL(route.request().url());
    let res = await route.fetch({ maxRedirects: 0 });
    for (let hop = 0; hop < 10; hop++) {
      const location = res.headers().location;
      if (res.status() < 300 || res.status() >= 400 || !location) break;
      const to = new URL(location, url);
      if (to.origin !== url.origin) {
        change(to);
        return route.fulfill({ response: res, headers: { ...res.headers(), location: to.href } });
      }
      url = to;
      res = await page.context().request.get(to.href, { maxRedirects: 0 });
    }
    return route.fulfill({ response: res });
  });
}

/** The signed-in user as the desk's API answers it in `page`. */
const who = (page: Page) =>
  page.evaluate(async () => {
    const res = await fetch('/desk/api/session');
    return res.ok
      ? ((await res.json()) as { user: { email: string; name: string; roles: string[] } }).user
      : null;
  });

describe.skipIf(!hasChromium)('single sign-on in Chromium, in Japanese', { timeout: 120_000 }, () => {
  it('shows 「市役所IDでサインイン」 above the password form, at 1280 and 375 px', async () => {
    for (const width of [1280, 375]) {
      const { page, errors } = await japanese(desk.origin, width);
      const button = page.getByRole('link', { name: '市役所IDでサインイン' });
      await button.waitFor();
      expect(await button.getAttribute('href')).toBe('/desk/auth/oidc');
      await page.getByRole('heading', { name: 'またはパスワードでサインイン' }).waitFor();
      expect(await page.getByLabel('パスワード').isVisible()).toBe(true);
      // The button fits the phone's width.
      const box = await button.boundingBox();
      expect((box?.x ?? 0) + (box?.width ?? 0)).toBeLessThanOrEqual(width);
      await checkPage(page, `sign-in-sso-${width}`, figures, SHOTS);
      expect(errors).toEqual([]);
      await page.context().close();
    }
  });

  it('signs a new person in through the provider, into the desk with the roles of their group', async () => {
    const { page, errors } = await japanese(desk.origin);
    await throughProvider(page, 'hana');
    await page.getByRole('button', { name: 'サインアウト' }).waitFor();
    expect(new URL(page.url()).search).toBe('');
    expect(await who(page)).toEqual({
      email: 'hana@city.example',
      name: '山田 花子',
      roles: ['writer', 'editor'],
    });
    expect(errors.filter((e) => !e.startsWith(idp.issuer))).toEqual([]);

    // The provider moves her to the senders; the next sign-in (the provider remembers her) follows.
    const hana = idp.accounts.get('hana');
    if (!hana) throw new Error('no hana');
    hana.groups = ['newsletter-senders'];
    const signedOut = page.waitForResponse((r) => r.request().method() === 'DELETE' && r.status() === 204);
    await page.getByRole('button', { name: 'サインアウト' }).click();
    await signedOut;
    await page.getByRole('heading', { name: 'Gazette デスクにサインイン' }).waitFor();
    await throughProvider(page, 'hana', true);
    await page.getByRole('button', { name: 'サインアウト' }).waitFor();
    expect((await who(page))?.roles).toEqual(['sender']);
    const audit = await desk.gazette.audit.since(0);
    expect(audit).toContainEqual(
      expect.objectContaining({
        action: 'user.roles-sso',
        target: 'hana@city.example (writer,editor → sender)',
      }),
    );
    expect(errors.filter((e) => !e.startsWith(idp.issuer))).toEqual([]);
    await page.context().close();
  });

  it('the account page of a single sign-on leaves the second factor to the provider, and says so', async () => {
    const { page, errors } = await japanese(desk.origin);
    await throughProvider(page, 'hana');
    await page.getByRole('button', { name: 'サインアウト' }).waitFor();
    await page.goto(`${desk.origin}/desk/account`);
    const byProvider = 'サインインとその二段階認証は、あなたの組織の市役所IDが管理しています。';
    await page.getByText(byProvider, { exact: false }).waitFor();
    // Nothing that assumes a password sign-in: no authenticator app to set up, no "only a password".
    expect(await page.getByRole('button', { name: '認証アプリを設定する' }).count()).toBe(0);
    expect(await page.getByText('パスワードだけが必要です', { exact: false }).count()).toBe(0);
    // Passwords still work here, and a passkey with them.
    expect(await page.getByRole('heading', { name: 'パスキー', exact: true }).count()).toBe(1);
    for (const width of [1280, 375]) {
      await page.setViewportSize({ width, height: 800 });
      const { width: wide, wide: out } = await pageWidth(page);
      expect(wide, out.join('; ')).toBeLessThanOrEqual(width);
      await checkPage(page, `account-sso-${width}`, figures, SHOTS);
    }

    // Her role now needs two factors, and the provider confirmed none: the way on is the provider's.
    await desk.gazette.secondFactors.setPolicy({ roles: ['writer', 'editor', 'sender'] });
    try {
      await page.reload();
      await page
        .getByText('今回のサインインでは市役所IDの二段階認証が確認されませんでした。', { exact: false })
        .waitFor();
      expect(await page.getByText('ここで設定すると', { exact: false }).count()).toBe(0);
      expect(await page.getByRole('button', { name: '認証アプリを設定する' }).count()).toBe(0);
      // Said once, in the two-factor part's words: the notices' refusal does not repeat it.
      expect(await page.getByText('二段階認証が必要です', { exact: false }).count()).toBe(1);
      await checkPage(page, 'account-sso-held-375', figures, SHOTS);
    } finally {
      await desk.gazette.secondFactors.setPolicy({ roles: [] });
    }
    expect(errors.filter((e) => !e.startsWith(idp.issuer) && !/: 403$|status of 403 /.test(e))).toEqual([]);
    await page.context().close();

    // With OIDC_ONLY=on no passkey is offered either: it could neither sign in nor confirm a sign-in.
    const other = await japanese(only.origin);
    await throughProvider(other.page, 'hana');
    await other.page.getByRole('button', { name: 'サインアウト' }).waitFor();
    await other.page.goto(`${only.origin}/desk/account`);
    await other.page.getByText(byProvider, { exact: false }).waitFor();
    expect(await other.page.getByRole('heading', { name: 'パスキー', exact: true }).count()).toBe(0);
    expect(await other.page.getByRole('button', { name: '認証アプリを設定する' }).count()).toBe(0);
    await checkPage(other.page, 'account-sso-only-1280', figures, SHOTS);
    expect(other.errors.filter((e) => !e.startsWith(idp.issuer))).toEqual([]);
    await other.page.context().close();
  });

  it('refuses a person whose group maps to no role, and says why in Japanese', async () => {
    const { page } = await japanese(desk.origin);
    await throughProvider(page, 'ken');
    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toBe(
      'あなたのアカウントには、このデスクを使う役割が割り当てられていません。システム管理者にグループへの追加を依頼してください。',
    );
    expect(await who(page)).toBeNull();
    expect(await desk.gazette.users.get('ken@city.example')).toBeNull();
    await checkPage(page, 'sign-in-sso-no-role-1280', figures, SHOTS);
    await page.context().close();
  });

  it('refuses another person of the provider who now has the e-mail of a linked account, and says why in Japanese', async () => {
    // Hana's address handed on at the provider to someone else, in her old group.
    idp.accounts.set('hana-new', {
      email: 'hana@city.example',
      email_verified: true,
      name: '山田 花',
      groups: ['newsletter-editors'],
    });
    const { page } = await japanese(desk.origin);
    await throughProvider(page, 'hana-new');
    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toBe(
      'このメールアドレスのデスクアカウントは、認証サービスの別のアカウントに結び付いています。安全のため、サインインを止めました。システム管理者にお問い合わせください。',
    );
    expect(await who(page)).toBeNull();
    expect((await desk.gazette.users.get('hana@city.example'))?.name).toBe('山田 花子');
    await checkPage(page, 'sign-in-sso-linked-elsewhere-1280', figures, SHOTS);
    await page.context().close();
  });

  it('refuses a state changed on the way back from the provider', async () => {
    const { page } = await japanese(desk.origin);
    await rewriteRedirects(page, (to) => {
      if (to.pathname === '/desk/auth/oidc/callback') to.searchParams.set('state', FORGED);
    });
    await throughProvider(page, 'hana');
    await page.getByText('このブラウザーで始めたものではありません', { exact: false }).waitFor();
    expect(await who(page)).toBeNull();
    await page.context().close();
  });

  it('refuses an ID token whose nonce is not the one the desk sent', async () => {
    const { page } = await japanese(desk.origin);
    await rewriteRedirects(page, (to) => {
      if (to.href.startsWith(`${idp.issuer}/auth?`)) to.searchParams.set('nonce', FORGED);
    });
    await throughProvider(page, 'hana');
    await page.getByText('認証サービスからのサインインを確認できませんでした。', { exact: false }).waitFor();
    expect(await who(page)).toBeNull();
    await page.context().close();
  });

  it('with OIDC_ONLY=on shows only the provider’s button, and the API refuses a password', async () => {
    for (const width of [1280, 375]) {
      const { page, errors } = await japanese(only.origin, width);
      await page.getByRole('link', { name: '市役所IDでサインイン' }).waitFor();
      expect(await page.getByLabel('パスワード').count()).toBe(0);
      expect(await page.getByRole('button', { name: 'サインイン', exact: true }).count()).toBe(0);
      await checkPage(page, `sign-in-sso-only-${width}`, figures, SHOTS);
      const refused = await page.evaluate(async (password) => {
        const res = await fetch('/desk/api/session', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ email: 'admin@city.example', password }),
        });
        return { status: res.status, code: ((await res.json()) as { code: string }).code };
      }, PASSWORD);
      expect(refused).toEqual({ status: 403, code: 'password-sign-in-off' });
      // Nothing went wrong but the one refusal this test asked for.
      expect(errors.filter((e) => !/\b403\b/.test(e))).toEqual([]);
      await page.context().close();
    }
  });
});
