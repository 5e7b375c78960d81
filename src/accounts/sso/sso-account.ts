import { randomBytes } from 'node:crypto';
import type { AuditLog } from '../../audit/audit-log.ts';
import { GazetteError } from '../../errors.ts';
import type { Role, RoleMapping } from '../../roles.ts';
import { type StoredUser, UserEmail, type UserStore } from '../user-store.ts';
import { providerCheckedMfa, rolesOfClaim } from './claim-roles.ts';
import type { ProviderClaims } from './provider-client.ts';
import { type ProviderSubject, type SsoLinkStore, sameSubject } from './sso-link-store.ts';

/** Why the provider's claims open no account. */
export type SsoRefusalReason = 'no-email' | 'unverified-email' | 'no-role' | 'disabled' | 'linked-elsewhere';

/** What the provider's claims came to: the account signed in (and whether two factors were checked), or why not. */
export type SsoAccountResult =
  | { ok: true; user: StoredUser; mfa: boolean }
  | { ok: false; reason: SsoRefusalReason };

/**
 * The desk account of a person the provider vouched for (issue 22). The provider's subject (issuer
 * and `sub`) names the account once linked: the first sign-in finds the account by the e-mail claim
 * (or makes it) and links it, and later ones reach it by the subject whatever e-mail the provider
 * sends then (the desk keeps the address it has: an account's address does not change). An e-mail
 * whose account is linked to another subject is refused (`linked-elsewhere`): whoever holds that
 * address at the provider now is not the person the account belongs to. `email_verified: false`
 * refuses a first sign-in, while a provider that never sends the claim (Entra ID, many ADFS setups)
 * is believed, as the IT department's own directory. The role claim, mapped by OIDC_ROLES, decides
 * the roles at every sign-in: a person with no mapped group is refused; an unknown one gets an
 * account with an unusable random password; changed roles are stored and audited.
 */
export function createSsoAccounts(deps: {
  users: Pick<UserStore, 'get' | 'add' | 'update'>;
  links: Pick<SsoLinkStore, 'emailOf' | 'subjectOf' | 'link' | 'unlink'>;
  audit: Pick<AuditLog, 'record'>;
  mapping: RoleMapping;
  roleClaim: string;
  trustMfa: boolean;
}) {
  /** The account linked to `subject`, or null; a link left by an account removed without its traces goes. */
  async function linkedAccount(subject: ProviderSubject): Promise<StoredUser | null> {
    const email = await deps.links.emailOf(subject);
    if (!email) return null;
    const user = await deps.users.get(email);
    if (!user) await deps.links.unlink(email);
    return user;
  }

  /** The account a first sign-in reaches by its e-mail claim (made when there is none), linked to `subject` now; or why none. */
  async function firstSignIn(
    claims: ProviderClaims,
    subject: ProviderSubject,
    roles: Role[],
  ): Promise<StoredUser | SsoRefusalReason> {
    const email = UserEmail.safeParse(claims.email);
    if (!email.success) return 'no-email';
    if (claims.email_verified === false || claims.email_verified === 'false') return 'unverified-email';
    const known = await deps.users.get(email.data);
    const other = known ? await deps.links.subjectOf(known.email) : null;
    if (other && !sameSubject(other, subject)) return 'linked-elsewhere';
    if (roles.length === 0) return 'no-role';
    const user = known ?? (await create(email.data, claims, roles));
    // Two first sign-ins of one address with two subjects at once: only one of them links it.
    if (!(await deps.links.link(user.email, subject))) return 'linked-elsewhere';
    if (known && !other) {
      await deps.audit.record({
        user: user.email,
        action: 'user.link-sso',
        target: `${user.email} (${subject.iss})`,
      });
    }
    return user;
  }

  return async function accountOf(claims: ProviderClaims): Promise<SsoAccountResult> {
    const subject = { iss: claims.iss, sub: claims.sub };
    const roles = rolesOfClaim(claims[deps.roleClaim], deps.mapping);
    const known = (await linkedAccount(subject)) ?? (await firstSignIn(claims, subject, roles));
    if (typeof known === 'string') return { ok: false, reason: known };
    if (roles.length === 0) return { ok: false, reason: 'no-role' };
    const mfa = deps.trustMfa || providerCheckedMfa(claims.amr);
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
