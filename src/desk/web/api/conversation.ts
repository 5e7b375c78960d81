import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import type { CommentsAnswer, StateAnswer, TimelineAnswer } from '../../api/schemas.ts';
import { api } from './http.ts';

/** One comment or change request, oldest first. */
export type Comment = z.infer<typeof CommentsAnswer>['comments'][number];
/** One line of an issue's history. */
export type TimelineEntry = z.infer<typeof TimelineAnswer>['timeline'][number];

const talk = (n: number) => ['issues', n, 'talk'] as const;

/** The comments on an issue and its change requests (`GET /issues/:number/comments`). */
export function useComments(number: number) {
  return useQuery({
    queryKey: [...talk(number), 'comments'],
    queryFn: () => api<z.infer<typeof CommentsAnswer>>(`/issues/${number}/comments`).then((r) => r.comments),
  });
}

/** Saves, reviews, change requests, approvals, comments and sends (`GET /issues/:number/timeline`). */
export function useTimeline(number: number) {
  return useQuery({
    queryKey: [...talk(number), 'timeline'],
    queryFn: () => api<z.infer<typeof TimelineAnswer>>(`/issues/${number}/timeline`).then((r) => r.timeline),
  });
}

/** Posts a comment (`POST /issues/:number/comments`). */
export function useAddComment(number: number) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (comment: string) =>
      api<Comment>(`/issues/${number}/comments`, { method: 'POST', json: { comment } }),
    onSuccess: () => client.invalidateQueries({ queryKey: talk(number) }),
  });
}

/** Sends the issue back to draft with a comment (`POST /issues/:number/request-changes`, editor). */
export function useRequestChanges(number: number) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (comment: string) =>
      api<StateAnswer>(`/issues/${number}/request-changes`, { method: 'POST', json: { comment } }),
    onSettled: () => client.invalidateQueries({ queryKey: ['issues'] }),
  });
}

/** Which desk notices the signed-in user gets by mail (`/me/notifications`). */
export interface NoticeSettings {
  reviewRequested: boolean;
  changesRequested: boolean;
  approved: boolean;
  sendFinished: boolean;
}

/** The signed-in user's notice settings. */
export function useNoticeSettings() {
  return useQuery({
    queryKey: ['me', 'notifications'],
    queryFn: () => api<NoticeSettings>('/me/notifications'),
  });
}

/** Stores the signed-in user's notice settings (`PUT /me/notifications`). */
export function useSaveNoticeSettings() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (next: NoticeSettings) =>
      api<NoticeSettings>('/me/notifications', { method: 'PUT', json: next }),
    onSuccess: (saved) => client.setQueryData(['me', 'notifications'], saved),
  });
}
