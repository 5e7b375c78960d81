import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { SessionsAnswer } from '../../api/schemas.ts';
import { api } from './http.ts';

const KEY = ['me', 'sessions'] as const;

/** The signed-in user's live sessions, the current one marked (`GET /me/sessions`). */
export function useDeviceSessions() {
  return useQuery({ queryKey: KEY, queryFn: () => api<SessionsAnswer>('/me/sessions') });
}

/** Ends one session by its listed id (`DELETE /me/sessions/{id}`); its device is signed out at once. */
export function useEndSession() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api<void>(`/me/sessions/${encodeURIComponent(id)}`, { method: 'DELETE' }),
    onSettled: () => client.invalidateQueries({ queryKey: KEY }),
  });
}

/** Ends every session but this one (`DELETE /me/sessions`). */
export function useEndOtherSessions() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => api<void>('/me/sessions', { method: 'DELETE' }),
    onSettled: () => client.invalidateQueries({ queryKey: KEY }),
  });
}

const memberKey = (email: string) => ['team', email, 'sessions'] as const;
const memberPath = (email: string) => `/users/${encodeURIComponent(email)}/sessions`;

/** A member's live sessions (admin; `GET /users/{email}/sessions`), asked only while `enabled`. */
export function useMemberSessions(email: string, enabled: boolean) {
  return useQuery({
    queryKey: memberKey(email),
    queryFn: () => api<SessionsAnswer>(memberPath(email)),
    enabled,
  });
}

/** Ends one of a member's sessions (admin; `DELETE /users/{email}/sessions/{id}`). */
export function useEndMemberSession(email: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) =>
      api<void>(`${memberPath(email)}/${encodeURIComponent(id)}`, { method: 'DELETE' }),
    onSettled: () => client.invalidateQueries({ queryKey: memberKey(email) }),
  });
}
