import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type {
  AddedEditionAnswer,
  EditionAnswer,
  EditionSummary,
  SavedAnswer,
  StateAnswer,
} from '../../api/schemas.ts';
import { api } from './http.ts';

export type { EditionAnswer, EditionSummary };

const one = (n: number, locale: string) => ['issues', n, 'editions', locale] as const;

/** One edition of issue `n` in another locale, with its checks and the default edition it was translated from. */
export function useEdition(n: number, locale: string) {
  return useQuery({
    queryKey: one(n, locale),
    queryFn: () => api<EditionAnswer>(`/issues/${n}/editions/${locale}`),
  });
}

/** Adds an edition: the default edition's structure with every text empty (`POST /issues/:n/editions`). */
export function useAddEdition(n: number) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (locale: string) =>
      api<AddedEditionAnswer>(`/issues/${n}/editions`, { method: 'POST', json: { locale } }),
    onSuccess: () => client.invalidateQueries({ queryKey: ['issues', n] }),
  });
}

/** Saves an edition over `revision`, translated from the default edition's `basedOn`; 409 and 422 as ApiError. */
export function useSaveEdition(n: number, locale: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (v: { issue: unknown; revision: number; basedOn: number }) =>
      api<SavedAnswer>(`/issues/${n}/editions/${locale}?basedOn=${v.basedOn}`, {
        method: 'PUT',
        json: v.issue,
        headers: { 'If-Match': String(v.revision) },
      }),
    onSuccess: () => client.invalidateQueries({ queryKey: ['issues', n] }),
  });
}

/** Moves an edition on: `review` (writer) or `approve` (editor). */
export function useEditionStep(n: number, locale: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (step: 'review' | 'approve') =>
      api<StateAnswer>(`/issues/${n}/editions/${locale}/${step}`, { method: 'POST' }),
    onSettled: () => client.invalidateQueries({ queryKey: ['issues', n] }),
  });
}
