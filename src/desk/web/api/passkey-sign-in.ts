import { type PublicKeyCredentialRequestOptionsJSON, startAuthentication } from '@simplewebauthn/browser';
import { useMutation } from '@tanstack/react-query';
import type { PasskeyAssertion, PasskeyRequestOptions, SessionAnswer } from '../../api/schemas.ts';
import { api } from './http.ts';
import { useSignedIn } from './session.ts';

/** Asks this device's authenticator to sign `options` (the browser shows its own passkey dialog). */
export async function signWithPasskey(options: PasskeyRequestOptions): Promise<PasskeyAssertion> {
  const optionsJSON = options as unknown as PublicKeyCredentialRequestOptionsJSON;
  return (await startAuthentication({ optionsJSON })) as PasskeyAssertion;
}

/** Signs in with a passkey alone: the options, the browser's dialog, then `POST /session/passkey`. */
export function usePasskeySignIn() {
  const signedIn = useSignedIn();
  return useMutation({
    mutationFn: async () => {
      const options = await api<PasskeyRequestOptions>('/session/passkey/options', { method: 'POST' });
      const passkey = await signWithPasskey(options);
      return api<SessionAnswer>('/session/passkey', { method: 'POST', json: { passkey } });
    },
    onSuccess: signedIn,
  });
}
