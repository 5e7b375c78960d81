import type { UserChange, UserView } from './user-store.ts';

/** An account that can act as an admin now: it holds the role and is not disabled. */
const activeAdmin = (u: Pick<UserView, 'roles' | 'disabled'>) => u.roles.includes('admin') && !u.disabled;

/**
 * Whether applying `change` to `email` (or removing it, `change` null) would leave the desk without a
 * single active admin; nobody could then manage accounts without a terminal (issue 22). Pure.
 */
export function leavesNoAdmin(users: readonly UserView[], email: string, change: UserChange | null): boolean {
  const target = users.find((u) => u.email === email);
  if (!target || !activeAdmin(target)) return false;
  if (
    change &&
    activeAdmin({ roles: change.roles ?? target.roles, disabled: change.disabled ?? target.disabled })
  )
    return false;
  return !users.some((u) => u.email !== email && activeAdmin(u));
}
