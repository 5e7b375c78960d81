import { useMutation } from '@tanstack/react-query';
import type { PasskeyRequestOptions } from '../../api/schemas.ts';
import { api, isApiError } from './http.ts';
import { signWithPasskey } from './passkey-sign-in.ts';

/** Whether `error` is the server's 403 asking the user to prove who they are before the change. */
export function needsConfirmation(error: unknown): boolean {
  return (
    isApiError(error) &&
    error.status === 403 &&
    (error.body as { code?: unknown } | null)?.code === 'confirm-identity'
  );
}

/**
 * Proves again that it is the signed-in user (`POST /me/confirm-identity`): with the password, or
 * with a passkey (the options for the user's own passkeys, then the browser's dialog).
 */
export function useConfirmIdentity() {
  return useMutation({
    mutationFn: async (proof: { password: string } | 'passkey') => {
      const json =
        proof === 'passkey'
          ? {
              passkey: await signWithPasskey(
                await api<PasskeyRequestOptions>('/me/confirm-identity/options', { method: 'POST' }),
              ),
            }
          : proof;
      return api<void>('/me/confirm-identity', { method: 'POST', json });
    },
  });
}
