import type * as Oidc from 'openid-client';
import { type Config, deskOrigin } from '../../config.ts';
import type { SsoFlow } from './sso-flow-store.ts';

/** Why a sign-in through the provider did not give verified claims; the desk words each one. */
export type ProviderFailure = 'denied' | 'unavailable' | 'failed';

/** A failure of the provider's side, with the detail for the server's log (never for the person). */
export class ProviderError extends Error {
  override name = 'ProviderError';
  constructor(
    readonly reason: ProviderFailure,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** What the callback learns of the person: the ID token's claims (its issuer and subject among them), completed from userinfo. */
export type ProviderClaims = Record<string, unknown> & { iss: string; sub: string };

/** Where the desk starts a sign-in through the provider, and where the provider sends the browser back. */
export const SSO_START_PATH = '/desk/auth/oidc';
export const SSO_CALLBACK_PATH = '/desk/auth/oidc/callback';

/**
 * The OpenID Provider as openid-client (v6) talks to it: discovery on first use (retried at the next
 * sign-in when it failed), the authorization code flow with PKCE (S256), state and nonce; the ID
 * token's signature, issuer, audience, expiry and nonce are checked by the library.
 */
export function createProviderClient(settings: Config & { OIDC_ISSUER: string }) {
  // Loaded at the first sign-in, not with every command of the CLI that builds the composition root.
  let library: Promise<typeof Oidc> | null = null;
  const load = () => {
    library ??= import('openid-client');
    return library;
  };
  const issuer = new URL(settings.OIDC_ISSUER);
  const redirectUri = `${deskOrigin(settings)}${SSO_CALLBACK_PATH}`;
  let discovered: Promise<Oidc.Configuration> | null = null;

  async function configuration(): Promise<Oidc.Configuration> {
    const oidc = await load();
    discovered ??= oidc
      .discovery(issuer, settings.OIDC_CLIENT_ID ?? '', settings.OIDC_CLIENT_SECRET, undefined, {
        // Only a loopback issuer may be http (config.ts refuses any other).
        ...(issuer.protocol === 'http:' ? { execute: [oidc.allowInsecureRequests] } : {}),
        timeout: 10,
      })
      .catch((err: unknown) => {
        discovered = null;
        throw new ProviderError('unavailable', `discovery of ${issuer.href} failed: ${String(err)}`, {
          cause: err,
        });
      });
    return discovered;
  }

  return {
    /** The name the sign-in button shows: OIDC_NAME, else the issuer's host. */
    name: settings.OIDC_NAME ?? issuer.hostname,

    /** The provider's authorization URL for a new flow, and the flow's secrets to keep until it returns. */
    async start(next: string): Promise<{ url: URL; state: string; flow: SsoFlow }> {
      const config = await configuration();
      const oidc = await load();
      const verifier = oidc.randomPKCECodeVerifier();
      const state = oidc.randomState();
      const nonce = oidc.randomNonce();
      const url = oidc.buildAuthorizationUrl(config, {
        redirect_uri: redirectUri,
        scope: settings.OIDC_SCOPES,
        code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
        code_challenge_method: 'S256',
        state,
        nonce,
      });
      return { url, state, flow: { verifier, nonce, next } };
    },

    /**
     * Ends a flow at the callback `url` (the redirect URI with the provider's query): exchanges the
     * code and checks the ID token; the claims, with userinfo's for the e-mail and role claim when
     * the ID token lacks them. Throws ProviderError.
     */
    async finish(url: URL, state: string, flow: SsoFlow): Promise<ProviderClaims> {
      const config = await configuration();
      const oidc = await load();
      try {
        const tokens = await oidc.authorizationCodeGrant(config, url, {
          pkceCodeVerifier: flow.verifier,
          expectedState: state,
          expectedNonce: flow.nonce,
          idTokenExpected: true,
        });
        const idClaims = tokens.claims();
        if (!idClaims) throw new Error('the token answer has no ID token');
        const wanted = ['email', 'email_verified', 'name', settings.OIDC_ROLE_CLAIM];
        const lacking = wanted.some((k) => !(k in idClaims));
        const userinfo =
          lacking && config.serverMetadata().userinfo_endpoint
            ? await oidc.fetchUserInfo(config, tokens.access_token, idClaims.sub)
            : {};
        // The ID token's word first: it is signed; userinfo only fills what it left out.
        return { ...userinfo, ...idClaims };
      } catch (err) {
        if (err instanceof oidc.AuthorizationResponseError) {
          const reason = err.error === 'access_denied' ? 'denied' : 'failed';
          throw new ProviderError(reason, `the provider answered ${err.error}`, { cause: err });
        }
        // openid-client's own error says what failed (`unexpected ID Token "nonce" claim value`…).
        const cause = (err as { cause?: unknown }).cause;
        const detail = cause instanceof Error ? ` (${cause.message})` : '';
        throw new ProviderError('failed', `the sign-in could not be verified: ${String(err)}${detail}`, {
          cause: err,
        });
      }
    },
  };
}

/** The provider client's interface (see createProviderClient). */
export type ProviderClient = ReturnType<typeof createProviderClient>;

/** The provider client when OIDC_ISSUER is set, else null (no single sign-on). Nothing is fetched yet. */
export function providerClientOf(config: Config): ProviderClient | null {
  const { OIDC_ISSUER } = config;
  return OIDC_ISSUER ? createProviderClient({ ...config, OIDC_ISSUER }) : null;
}
