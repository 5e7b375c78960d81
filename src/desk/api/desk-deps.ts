import type { Gazette } from '../../app.ts';
import type { RemoteCheckOptions } from '../../issue/link-checks/remote-checks.ts';
import type { Role } from '../../roles.ts';
import type { Mailer } from '../../send/wire/transport.ts';

/** What the desk API uses: the composition root's stores plus the mailer for test sends. */
export type DeskDeps = Pick<
  Gazette,
  | 'config'
  | 'redis'
  | 'log'
  | 'users'
  | 'sessions'
  | 'accountLinks'
  | 'secondFactors'
  | 'passkeys'
  | 'passkeyCeremony'
  | 'ssoFlows'
  | 'ssoLinks'
  | 'sso'
  | 'tokens'
  | 'audit'
  | 'issues'
  | 'issueEvents'
  | 'sends'
  | 'subscribers'
  | 'clicks'
  | 'bounces'
  | 'policy'
  | 'queues'
> & {
  /** Sends test messages (`POST /sends` with `test`). */
  mailer: Mailer;
  /** The issues' images folder: local image paths in issues are looked for here (default `issues/images`). */
  imagesDir?: string;
  /** How the checks fetch links and remote images (default: over the network). */
  remote?: RemoteCheckOptions;
  clock?: () => number;
};

/** Who is calling: a signed-in user (by session cookie) or an API token. */
export interface Caller {
  /** For the audit log: the user's e-mail or `token:<name>`. */
  id: string;
  roles: Role[];
  via: 'session' | 'token';
  /** The session cookie's value, when signed in. */
  sessionId?: string;
  /** When signed in: whether they proved who they are lately (see CONFIRMATION_MS). */
  confirmed?: boolean;
  /** Set when the session came through single sign-on: whether the provider checked two factors. */
  sso?: { mfa: boolean };
}

/** Hono's environment of the desk API: every route after authentication has a caller. */
export interface DeskEnv {
  Variables: { caller: Caller };
}

export { deskOrigin } from '../../config.ts';
