import { useMutation, useQuery } from '@tanstack/react-query';
import type { ImportSummary, SubscriberHistory, SubscriberPageAnswer } from '../../api/schemas.ts';
import { api } from './http.ts';

/** Subscribers whose address or name contains `q` (admin). */
export function useSubscribers(q: string) {
  return useQuery({
    queryKey: ['subscribers', q],
    queryFn: () =>
      api<SubscriberPageAnswer>(`/subscribers?q=${encodeURIComponent(q)}`).then((r) => r.subscribers),
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
