import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type {
  CreateSend,
  RescheduledAnswer,
  SendCreatedAnswer,
  SendListAnswer,
  SendSummary,
} from '../../api/schemas.ts';
import { api } from './http.ts';

/** `GET /sends/:id`: the `gazette status --json` object with the send's issue, list and time, and the rate when the API gives it. */
export type SendStatus = SendSummary & { rate?: number };

/** The recent sends. */
export function useSends() {
  return useQuery({
    queryKey: ['sends'],
    queryFn: () => api<SendListAnswer>('/sends').then((r) => r.sends),
  });
}

/** One send's status, polled every second while it can still change. */
export function useSend(id: string) {
  return useQuery({
    queryKey: ['sends', id],
    queryFn: () => api<SendStatus>(`/sends/${id}`),
    refetchInterval: (q) => (['done', 'cancelled'].includes(q.state.data?.state ?? '') ? false : 1000),
  });
}

/** Schedules a send or a test send (`POST /sends`); 409 comes back as ApiError with its sentence. */
export function useCreateSend() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: Partial<CreateSend> & { issue: number }) =>
      api<SendCreatedAnswer>('/sends', { method: 'POST', json: body }),
    onSuccess: () => client.invalidateQueries({ queryKey: ['sends'] }),
  });
}

/** Pauses, resumes or cancels a send (sender role). */
export function useSendControl(id: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (action: 'pause' | 'resume' | 'cancel') =>
      api<void>(`/sends/${id}/${action}`, { method: 'POST' }),
    onSettled: () => client.invalidateQueries({ queryKey: ['sends', id] }),
  });
}

/** Moves a scheduled send to another time (`POST /sends/:id/reschedule`, sender role). */
export function useReschedule(id: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (at: string) =>
      api<RescheduledAnswer>(`/sends/${id}/reschedule`, { method: 'POST', json: { at } }),
    onSettled: () => client.invalidateQueries({ queryKey: ['sends'] }),
  });
}
