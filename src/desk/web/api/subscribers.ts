import { useInfiniteQuery, useMutation, useQuery } from '@tanstack/react-query';
import type { ImportSummary, SubscriberHistory, SubscriberPageAnswer } from '../../api/schemas.ts';
import { api } from './http.ts';

/** Subscribers whose address or name contains `q` (admin), a page at a time (`fetchNextPage` for more). */
export function useSubscribers(q: string) {
  return useInfiniteQuery({
    queryKey: ['subscribers', q],
    initialPageParam: '',
    queryFn: ({ pageParam }) =>
      api<SubscriberPageAnswer>(
        `/subscribers?q=${encodeURIComponent(q)}${pageParam ? `&cursor=${pageParam}` : ''}`,
      ),
    getNextPageParam: (last) => last.cursor ?? undefined,
  });
}

/** A person's history: consent, lists, suppression, bounces, events. */
export function useSubscriber(email: string | null) {
  return useQuery({
    queryKey: ['subscribers', 'one', email],
    enabled: email !== null,
    queryFn: () => api<SubscriberHistory>(`/subscribers/${encodeURIComponent(email ?? '')}`),
  });
}

/** Imports a CSV file into a list (`POST /subscribers/import?list=`); the summary lists rejected rows. */
export function useImport() {
  return useMutation({
    mutationFn: (v: { file: File; list: string }) =>
      api<ImportSummary>(`/subscribers/import?list=${encodeURIComponent(v.list)}`, {
        method: 'POST',
        headers: { 'Content-Type': 'text/csv' },
        body: v.file,
      }),
  });
}
