import { useMutation, useQuery } from '@tanstack/react-query';
import { api } from './http.ts';

/** One row of `GET /subscribers`. */
export interface SubscriberRow {
  email: string;
  name?: string;
  status: string;
  lists: string[];
}

/** Subscribers matching `q` (admin). */
export function useSubscribers(q: string) {
  return useQuery({
    queryKey: ['subscribers', q],
    queryFn: () =>
      api<{ subscribers: SubscriberRow[]; cursor?: string }>(`/subscribers?q=${encodeURIComponent(q)}`).then(
        (r) => r.subscribers,
      ),
  });
}

/** A person's history: the `subscribers show --json` object. */
export function useSubscriber(email: string | null) {
  return useQuery({
    queryKey: ['subscribers', 'one', email],
    enabled: email !== null,
    queryFn: () => api<Record<string, unknown>>(`/subscribers/${encodeURIComponent(email ?? '')}`),
  });
}

/** The import summary: counts and each rejected row with its line and reason. */
export interface ImportSummary {
  added: number;
  updated: number;
  skipped: number;
  rejected: { line: number; message: string }[] | number;
  errors?: { line: number; message: string }[];
}

/** Imports a CSV file into a list (`POST /subscribers/import?list=`). */
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
