import type { DeskDeps } from '../desk-deps.ts';

/** Display names of caller ids: a user's name, else the id itself (an API token, a removed user). */
export async function displayNames(
  deps: Pick<DeskDeps, 'users'>,
  ids: string[],
): Promise<Map<string, string>> {
  const unique = [...new Set(ids)];
  const users = await Promise.all(unique.map((id) => (id.includes(':') ? null : deps.users.get(id))));
  return new Map(unique.map((id, i) => [id, users[i]?.name || id]));
}
