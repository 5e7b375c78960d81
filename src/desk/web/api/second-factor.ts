import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { RecoveryCodes, SecondFactorSettings, TotpEnrolment, TotpStatus } from '../../api/schemas.ts';
import { api, isApiError } from './http.ts';

const KEY = ['me', 'totp'] as const;

/** The codes of the policy's 403: no second factor of the desk's own, or none the provider confirmed. */
const HELD = new Set(['second-factor-required', 'second-factor-provider']);

/**
 * True when `err` is the second-factor policy holding the user back (requireSecondFactor): the
 * account page's two-factor part says so in its own words, so the other parts need not repeat it.
 */
export function heldBySecondFactor(err: unknown): boolean {
  return isApiError(err) && HELD.has((err.body as { code?: string } | null)?.code ?? '');
}

/** Whether the signed-in user has a second factor, and whether their roles need one (`GET /me/totp`). */
export function useTotpStatus() {
  return useQuery({ queryKey: KEY, queryFn: () => api<TotpStatus>('/me/totp') });
}

/** Starts enrolling an authenticator app: a new secret and its QR code (`POST /me/totp`). */
export function useBeginTotp() {
  return useMutation({ mutationFn: () => api<TotpEnrolment>('/me/totp', { method: 'POST' }) });
}

/**
 * Confirms the new secret with a code from it; the recovery codes, shown once. Everything the
 * policy held back opens now, so every query is asked again.
 */
export function useConfirmTotp() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (code: string) => api<RecoveryCodes>('/me/totp/confirm', { method: 'POST', json: { code } }),
    onSuccess: () => client.invalidateQueries(),
  });
}

/** Removes the authenticator app (`DELETE /me/totp`; 403 `confirm-identity` without a recent proof). */
export function useRemoveTotp() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => api<void>('/me/totp', { method: 'DELETE' }),
    onSuccess: () => client.invalidateQueries({ queryKey: KEY }),
  });
}

const POLICY = ['settings', 'second-factor'] as const;

/** The roles whose users must have a second factor (admin; `GET /settings/second-factor`). */
export function useSecondFactorPolicy() {
  return useQuery({ queryKey: POLICY, queryFn: () => api<SecondFactorSettings>('/settings/second-factor') });
}

/** Stores the roles that need a second factor (admin). The caller's own state may change with it. */
export function useSaveSecondFactorPolicy() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (next: SecondFactorSettings) =>
      api<SecondFactorSettings>('/settings/second-factor', { method: 'PUT', json: next }),
    onSuccess: (saved) => {
      client.setQueryData(POLICY, saved);
      return client.invalidateQueries({ queryKey: KEY });
    },
  });
}
