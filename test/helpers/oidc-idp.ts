import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider, { type KoaContextWithOIDC } from 'oidc-provider';

/** A person the test provider knows: the claims it sends about them. */
export interface IdpAccount {
  email: string;
  email_verified?: boolean;
  name: string;
  groups: string[];
}

/** A real OpenID Provider (oidc-provider) on a port of its own, for one test client. */
export interface TestIdp {
  /** http://127.0.0.1:<port>, its issuer. */
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** The accounts by login (the `sub`); a test changes a person's groups here. */
  accounts: Map<string, IdpAccount>;
  close(): Promise<void>;
}

const CLIENT_ID = 'gazette-desk';
const CLIENT_SECRET = 'a test client secret that is long enough';

/**
 * Starts oidc-provider on port 0 with one confidential client (code flow, PKCE required) whose
 * redirect URIs are `redirectUris`, and `accounts` by login. Its development sign-in form takes any
 * password for a known login; consent is given in advance for the client (a company's own app).
 */
export async function startTestIdp(
  redirectUris: string[],
  accounts: Record<string, IdpAccount>,
): Promise<TestIdp> {
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const known = new Map(Object.entries(accounts));
  const idp: TestIdp = {
    issuer,
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    accounts: known,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: CLIENT_ID,
        client_secret: CLIENT_SECRET,
        redirect_uris: redirectUris,
        grant_types: ['authorization_code'],
        response_types: ['code'],
      },
    ],
    pkce: { required: () => true },
    scopes: ['openid', 'email', 'profile', 'groups'],
    claims: { email: ['email', 'email_verified'], profile: ['name'], groups: ['groups'] },
    cookies: { keys: ['a test cookie key'] },
    ttl: {
      AccessToken: 600,
      AuthorizationCode: 60,
      Grant: 3600,
      IdToken: 600,
      Interaction: 600,
      Session: 3600,
    },
    async findAccount(_ctx: KoaContextWithOIDC, sub: string) {
      const account = known.get(sub);
      if (!account) return undefined;
      return { accountId: sub, claims: async () => ({ sub, ...known.get(sub) }) };
    },
    // Consent given in advance: the second sign-in goes straight back, as at a company's provider.
    async loadExistingGrant(ctx: KoaContextWithOIDC) {
      const { client, session } = ctx.oidc;
      if (!client || !session?.accountId) return undefined;
      const id = session.grantIdFor(client.clientId);
      const found = id ? await ctx.oidc.provider.Grant.find(id) : undefined;
      if (found) return found;
      const grant = new ctx.oidc.provider.Grant({ clientId: client.clientId, accountId: session.accountId });
      grant.addOIDCScope('openid email profile groups');
      await grant.save();
      return grant;
    },
  });
  server.on('request', provider.callback());
  return idp;
}

/**
 * A browser's cookie jar for fetch: cookies by name, sent to every host of the test (as a browser
 * does for 127.0.0.1, whatever the port), dropped when a server expires them.
 */
export function cookieJar() {
  const jar = new Map<string, string>();
  return {
    header: () => [...jar].map(([k, v]) => `${k}=${v}`).join('; '),
    take(res: Response) {
      for (const line of res.headers.getSetCookie()) {
        const [pair = '', ...attrs] = line.split(';');
        const at = pair.indexOf('=');
        const name = pair.slice(0, at).trim();
        const gone = attrs.some((a) => /^\s*max-age=0\s*$/i.test(a) || /expires=Thu, 01 Jan 1970/i.test(a));
        if (gone || pair.slice(at + 1) === '') jar.delete(name);
        else jar.set(name, pair.slice(at + 1));
      }
    },
    get: (name: string) => jar.get(name),
    set: (name: string, value: string) => jar.set(name, value),
  };
}
export type CookieJar = ReturnType<typeof cookieJar>;
