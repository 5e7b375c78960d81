import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { ListsAnswer } from '../../api/schemas.ts';
import { api } from './http.ts';

/** The lists with their members and active members (`GET /lists`, senders and admins). */
export function useLists() {
  return useQuery({
    queryKey: ['lists'],
    queryFn: () => api<ListsAnswer>('/lists').then((r) => r.lists),
  });
}

/** Adds an empty list (`POST /lists`, admin); 409 when the name is taken, 422 when it is not a name. */
export function useCreateList() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (name: string) => api<{ name: string }>('/lists', { method: 'POST', json: { name } }),
    onSuccess: () => client.invalidateQueries({ queryKey: ['lists'] }),
  });
}

/** Renames a list with its members (`PATCH /lists/:name`, admin); 409 when the name is taken or a send to it runs. */
export function useRenameList() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ from, to }: { from: string; to: string }) =>
      api<{ name: string }>(`/lists/${encodeURIComponent(from)}`, { method: 'PATCH', json: { name: to } }),
    onSuccess: () => client.invalidateQueries({ queryKey: ['lists'] }),
  });
}
