import type { Role, RoleMapping } from '../../roles.ts';

/**
 * The roles the role claim's value gives (a list of groups, or one group as a string), in the order
 * of ROLES' declaration; empty when no group maps, or the claim is absent or of another shape.
 */
export function rolesOfClaim(claim: unknown, mapping: RoleMapping): Role[] {
  const groups = typeof claim === 'string' ? [claim] : Array.isArray(claim) ? claim : [];
  const roles = new Set<Role>();
  for (const group of groups) {
    if (typeof group !== 'string') continue;
    for (const role of mapping.get(group) ?? []) roles.add(role);
  }
  return [...roles];
}

/**
 * Authentication methods (RFC 8176) that show the provider asked for more than one factor: `mfa`
 * itself, or a one-time code, a hardware key or a biometric next to anything else.
 */
const SECOND_FACTORS = new Set(['mfa', 'otp', 'hwk', 'sms', 'swk', 'fpt', 'face', 'iris', 'retina', 'vbm']);

/** Whether the ID token's `amr` says the provider checked a second factor. */
export function providerCheckedMfa(amr: unknown): boolean {
  if (!Array.isArray(amr)) return false;
  const methods = amr.filter((m): m is string => typeof m === 'string');
  return methods.includes('mfa') || (methods.length > 1 && methods.some((m) => SECOND_FACTORS.has(m)));
}
