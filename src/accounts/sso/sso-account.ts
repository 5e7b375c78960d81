import { randomBytes } from 'node:crypto';
import type { AuditLog } from '../../audit/audit-log.ts';
import { GazetteError } from '../../errors.ts';
import type { Role, RoleMapping } from '../../roles.ts';
import { type StoredUser, UserEmail, type UserStore } from '../user-store.ts';
import { providerCheckedMfa, rolesOfClaim } from './claim-roles.ts';
import type { ProviderClaims } from './provider-client.ts';

/** What the provider's claims came to: the account signed in (and whether two factors were checked), or why not. */
export type SsoAccountResult =
  | { ok: true; user: StoredUser; mfa: boolean }
  | { ok: false; reason: 'no-email' | 'unverified-email' | 'no-role' | 'disabled' };

/**
 * The desk account of a person the provider vouched for (issue 22). The e-mail claim names the
 * account; `email_verified: false` refuses it, while a provider that never sends the claim (Entra
 * ID, many ADFS setups) is believed, as the IT department's own directory. The role claim, mapped by
 * OIDC_ROLES, decides the roles at every sign-in: a person with no mapped group is refused; an
 * unknown one gets an account with an unusable random password; changed roles are stored and audited.
 */
export function createSsoAccounts(deps: {
  users: Pick<UserStore, 'get' | 'add' | 'update'>;
  audit: Pick<AuditLog, 'record'>;
  mapping: RoleMapping;
  roleClaim: string;
  trustMfa: boolean;
}) {
  return async function accountOf(claims: ProviderClaims): Promise<SsoAccountResult> {
    const email = UserEmail.safeParse(claims.email);
    if (!email.success) return { ok: false, reason: 'no-email' };
    if (claims.email_verified === false || claims.email_verified === 'false') {
      return { ok: false, reason: 'unverified-email' };
    }
    const roles = rolesOfClaim(claims[deps.roleClaim], deps.mapping);
    if (roles.length === 0) return { ok: false, reason: 'no-role' };
    const mfa = deps.trustMfa || providerCheckedMfa(claims.amr);
    const known = await deps.users.get(email.data);
    if (!known) return { ok: true, user: await create(email.data, claims, roles), mfa };
    // An admin's "disabled" stands whatever the provider says.
    if (known.disabled) return { ok: false, reason: 'disabled' };
    if (!sameRoles(known.roles, roles)) {
      await deps.users.update(known.email, { roles });
      await deps.audit.record({
        user: known.email,
        action: 'user.roles-sso',
        target: `${known.email} (${known.roles.join(',')} → ${roles.join(',')})`,
      });
    }
    return { ok: true, user: { ...known, roles }, mfa };
  };

  async function create(email: string, claims: ProviderClaims, roles: Role[]): Promise<StoredUser> {
    const name = typeof claims.name === 'string' ? claims.name.trim().slice(0, 200) : '';
    // Nobody knows this password: the account signs in through the provider (or after a reset).
    const password = randomBytes(32).toString('base64url');
    try {
      await deps.users.add({ email, name, roles, password });
      await deps.audit.record({
        user: email,
        action: 'user.add-sso',
        target: `${email} (${roles.join(',')})`,
      });
    } catch (err) {
      // Two first sign-ins at once: the other made it, which is as good.
      if (!(err instanceof GazetteError && err.code === 'E_USER_EXISTS')) throw err;
    }
    const user = await deps.users.get(email);
    if (!user) throw new Error(`the account ${email} vanished while it was made`);
    return user;
  }
}

function sameRoles(a: readonly Role[], b: readonly Role[]): boolean {
  return a.length === b.length && a.every((r) => b.includes(r));
}
