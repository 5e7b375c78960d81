import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type {
  InvitedAnswer,
  InviteUser,
  MemberAnswer,
  MemberChange,
  TeamAnswer,
  TeamMember,
} from '../../api/schemas.ts';
import { api } from './http.ts';

const KEY = ['team'] as const;

const userPath = (email: string) => `/users/${encodeURIComponent(email)}`;

/** Every desk account with its roles, state, second factor and last sign-in (admin; `GET /users`). */
export function useTeam() {
  return useQuery({ queryKey: KEY, queryFn: () => api<TeamAnswer>('/users') });
}

/** Changes a member's name, roles or disabled state (admin; `PATCH /users/{email}`). */
export function useChangeMember() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ email, change }: { email: string; change: MemberChange }) =>
      api<MemberAnswer>(userPath(email), { method: 'PATCH', json: change }),
    onSuccess: ({ user }) =>
      client.setQueryData<TeamAnswer>(KEY, (team) =>
        team ? { users: team.users.map((u) => (u.email === user.email ? user : u)) } : team,
      ),
  });
}

/** Removes a member with their second factor; their sessions end (admin; `DELETE /users/{email}`). */
export function useRemoveMember() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (email: string) => api<void>(userPath(email), { method: 'DELETE' }),
    onSuccess: () => client.invalidateQueries({ queryKey: KEY }),
  });
}

/**
 * Removes a member's authenticator app and passkeys, when they lost them, so that they set one up again
 * (admin; `DELETE /users/{email}/totp` and `/passkeys`, each only for what the member has).
 */
export function useResetSecondFactor() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async (member: Pick<TeamMember, 'email' | 'secondFactor'>) => {
      const path = userPath(member.email);
      if (member.secondFactor.includes('totp')) await api<void>(`${path}/totp`, { method: 'DELETE' });
      if (member.secondFactor.includes('passkey')) await api<void>(`${path}/passkeys`, { method: 'DELETE' });
    },
    onSettled: () => client.invalidateQueries({ queryKey: KEY }),
  });
}

/** Invites a member by mail (`POST /users`, admin). */
export function useInvite() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: InviteUser) => api<InvitedAnswer>('/users', { method: 'POST', json: body }),
    onSuccess: () => client.invalidateQueries({ queryKey: KEY }),
  });
}

/** Mails an invited member a new link; the earlier one stops working (`POST /users/:email/invite`, admin). */
export function useResendInvite() {
  return useMutation({
    mutationFn: (email: string) => api<InvitedAnswer>(`${userPath(email)}/invite`, { method: 'POST' }),
  });
}
