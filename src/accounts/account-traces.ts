import type { PasskeyStore } from './passkey-store.ts';
import type { SecondFactorStore } from './second-factor-store.ts';
import type { SessionStore } from './session-store.ts';
import type { SsoLinkStore } from './sso/sso-link-store.ts';

/**
 * What goes with a removed account besides its record: its second factors and its link to a person
 * of the identity provider (an address added again later starts without either), and every session
 * of it. `gazette users remove` and the desk's `DELETE /users/{email}` both call this, so neither
 * leaves a trace the other would not.
 */
export async function removeAccountTraces(
  deps: {
    secondFactors: Pick<SecondFactorStore, 'remove'>;
    passkeys: Pick<PasskeyStore, 'removeAll'>;
    ssoLinks: Pick<SsoLinkStore, 'unlink'>;
    sessions: Pick<SessionStore, 'destroyAll'>;
  },
  email: string,
): Promise<void> {
  await deps.secondFactors.remove(email);
  await deps.passkeys.removeAll(email);
  await deps.ssoLinks.unlink(email);
  await deps.sessions.destroyAll(email);
}
