import { useMutation, useQuery } from '@tanstack/react-query';
import type { AccountLinkAnswer, PasswordResetAsked } from '../../api/schemas.ts';
import { api } from './http.ts';

/** Asks for a link that sets a new password (`POST /password-reset`); the answer is the same for any address. */
export function useAskPasswordReset() {
  return useMutation({
    mutationFn: (email: string) =>
      api<PasswordResetAsked>('/password-reset', { method: 'POST', json: { email } }),
  });
}

/** What a mailed link is for and whose password it sets (`GET /password-reset/:token`); 410 when it no longer works. */
export function useAccountLink(token: string) {
  return useQuery({
    queryKey: ['account-link', token],
    queryFn: () => api<AccountLinkAnswer>(`/password-reset/${encodeURIComponent(token)}`),
    retry: false,
    staleTime: Number.POSITIVE_INFINITY,
  });
}

/** Sets the password with the link (`POST /password-reset/:token`); the link is used up. */
export function useSetPasswordByLink(token: string) {
  return useMutation({
    mutationFn: (password: string) =>
      api<void>(`/password-reset/${encodeURIComponent(token)}`, { method: 'POST', json: { password } }),
  });
}
