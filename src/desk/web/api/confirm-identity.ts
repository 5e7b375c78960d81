import { type PublicKeyCredentialRequestOptionsJSON, startAuthentication } from '@simplewebauthn/browser';
import { useMutation } from '@tanstack/react-query';
import type { PasskeyAssertion, PasskeyRequestOptions } from '../../api/schemas.ts';
import { api, isApiError } from './http.ts';

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
      // The browser's own dialog signs the options, as on the sign-in page (api/passkey-sign-in.ts); this
      // lazy page calls @simplewebauthn itself, since importing the sign-in page's module here makes the
      // build split the desk's shared code out of its one entry script (first-paint asserts there is one).
      const assertion = async () => {
        const json = await api<PasskeyRequestOptions>('/me/confirm-identity/options', { method: 'POST' });
        const optionsJSON = json as unknown as PublicKeyCredentialRequestOptionsJSON;
        return (await startAuthentication({ optionsJSON })) as PasskeyAssertion;
      };
      const json = proof === 'passkey' ? { passkey: await assertion() } : proof;
      return api<void>('/me/confirm-identity', { method: 'POST', json });
    },
  });
}
