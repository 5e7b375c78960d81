/** Where the desk goes when no (acceptable) return path was asked for. */
export const DESK_HOME = '/desk/';

/**
 * `next` when it is a path of the desk itself (`/desk`, `/desk/issues/204`), else DESK_HOME: never
 * another site (`//evil.example`, `/desk/../x`, a backslash, a scheme, a query), so the sign-in's
 * last redirect cannot be pointed elsewhere (no open redirect).
 */
export function deskReturnPath(next: string | undefined): string {
  if (next === undefined || next.length > 200) return DESK_HOME;
  if (!/^\/desk(\/[\w\-.~/]*)?$/.test(next) || next.includes('//') || next.includes('/.')) return DESK_HOME;
  return next;
}
