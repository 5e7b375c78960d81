import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type {
  AddSubscriber,
  EditSubscriber,
  ImportSummary,
  SubscriberAddedAnswer,
  SubscriberHistory,
  SubscriberPageAnswer,
} from '../../api/schemas.ts';
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

/** After a change to people: the search, the person's history and the lists' counts are read again. */
function useRefreshPeople() {
  const client = useQueryClient();
  return () =>
    Promise.all([
      client.invalidateQueries({ queryKey: ['subscribers'] }),
      client.invalidateQueries({ queryKey: ['lists'] }),
    ]);
}

/** Adds one person (`POST /subscribers`, admin); 409 when they left or the address is suppressed. */
export function useAddSubscriber() {
  const refresh = useRefreshPeople();
  return useMutation({
    mutationFn: (body: AddSubscriber) =>
      api<SubscriberAddedAnswer>('/subscribers', { method: 'POST', json: body }),
    onSuccess: refresh,
  });
}

/** Changes a person's name, locale and lists (`PATCH /subscribers/:email`, admin). */
export function useEditSubscriber(email: string) {
  const refresh = useRefreshPeople();
  return useMutation({
    mutationFn: (body: EditSubscriber) =>
      api<void>(`/subscribers/${encodeURIComponent(email)}`, { method: 'PATCH', json: body }),
    onSuccess: refresh,
  });
}

/** Unsubscribes a person with the reason on record (`POST /subscribers/:email/unsubscribe`, admin). */
export function useUnsubscribe(email: string) {
  const refresh = useRefreshPeople();
  return useMutation({
    mutationFn: (reason: string) =>
      api<{ outcome: string }>(`/subscribers/${encodeURIComponent(email)}/unsubscribe`, {
        method: 'POST',
        json: { reason },
      }),
    onSuccess: refresh,
  });
}
