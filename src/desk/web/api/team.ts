import { useMutation } from '@tanstack/react-query';
import type { InvitedAnswer, InviteUser } from '../../api/schemas.ts';
import { api } from './http.ts';

/** Invites a member by mail (`POST /users`, admin). */
export function useInvite() {
  return useMutation({
    mutationFn: (body: InviteUser) => api<InvitedAnswer>('/users', { method: 'POST', json: body }),
  });
}

/** Mails an invited member a new link; the earlier one stops working (`POST /users/:email/invite`, admin). */
export function useResendInvite() {
  return useMutation({
    mutationFn: (email: string) =>
      api<InvitedAnswer>(`/users/${encodeURIComponent(email)}/invite`, { method: 'POST' }),
  });
}
