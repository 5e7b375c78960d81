import { z } from 'zod';

/** What a desk account or API token may do (docs/architecture.md "Desk API"); a caller may hold several. */
export const ROLES = ['writer', 'editor', 'sender', 'admin'] as const;
export const Role = z.enum(ROLES).meta({ id: 'Role' });
export type Role = z.infer<typeof Role>;

/** Parses `writer,editor` (the CLI's `--role`); throws an Error naming the unknown role or an empty list. */
export function parseRoles(text: string): Role[] {
  const names = [...new Set(text.split(',').map((r) => r.trim().toLowerCase()))].filter(Boolean);
  const bad = names.filter((r) => !Role.safeParse(r).success);
  if (bad.length > 0)
    throw new Error(`unknown role ${bad.map((r) => `"${r}"`).join(', ')}; roles are ${ROLES.join(', ')}`);
  if (names.length === 0) throw new Error(`give at least one role: ${ROLES.join(', ')}`);
  return names as Role[];
}

/** Whether a caller holding `held` may do what any of `allowed` may; admin may do everything. */
export function allows(held: readonly Role[], allowed: readonly Role[]): boolean {
  return held.includes('admin') || held.some((r) => allowed.includes(r));
}

/** OIDC_ROLES parsed: each group (a value of the role claim) and the roles it gives. */
export type RoleMapping = ReadonlyMap<string, readonly Role[]>;

/**
 * Parses `group=role,role;group=role` (OIDC_ROLES). A group is split from its roles at its last `=`,
 * so an LDAP name such as `cn=editors,ou=groups=writer,editor` keeps its own. Throws an Error naming
 * the entry that has no `=`, no group, or an unknown role.
 */
export function parseRoleMapping(text: string): RoleMapping {
  const mapping = new Map<string, Role[]>();
  for (const entry of text.split(';').map((e) => e.trim())) {
    if (!entry) continue;
    const at = entry.lastIndexOf('=');
    const group = entry.slice(0, Math.max(0, at)).trim();
    if (at < 0 || !group) throw new Error(`"${entry}" is not group=role,role`);
    const roles = parseRoles(entry.slice(at + 1));
    mapping.set(group, [...new Set([...(mapping.get(group) ?? []), ...roles])]);
  }
  return mapping;
}
