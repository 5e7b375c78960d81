import {
  type PublicKeyCredentialCreationOptionsJSON,
  type PublicKeyCredentialRequestOptionsJSON,
  startAuthentication,
  startRegistration,
} from '@simplewebauthn/browser';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type {
  Passkey,
  PasskeyAssertion,
  PasskeyAttestation,
  PasskeyCreationOptions,
  PasskeyList,
  PasskeyRequestOptions,
  SessionAnswer,
} from '../../api/schemas.ts';
import { api } from './http.ts';
import { useSignedIn } from './session.ts';

const KEY = ['me', 'passkeys'] as const;

/** Asks this device's authenticator to sign `options` (the browser shows its own passkey dialog). */
export async function signWithPasskey(options: PasskeyRequestOptions): Promise<PasskeyAssertion> {
  const optionsJSON = options as unknown as PublicKeyCredentialRequestOptionsJSON;
  return (await startAuthentication({ optionsJSON })) as PasskeyAssertion;
}

/** The signed-in user's passkeys (`GET /me/passkeys`). */
export function usePasskeys() {
  return useQuery({ queryKey: KEY, queryFn: () => api<PasskeyList>('/me/passkeys') });
}

/**
 * Enrols a passkey of this device under `name`: the options from the server, the browser's dialog,
 * then the attestation to the server. Everything the policy held back may open now, so every query
 * is asked again.
 */
export function useAddPasskey() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async (name: string) => {
      const options = await api<PasskeyCreationOptions>('/me/passkeys/options', { method: 'POST' });
      const optionsJSON = options as unknown as PublicKeyCredentialCreationOptionsJSON;
      const response = (await startRegistration({ optionsJSON })) as PasskeyAttestation;
      return api<Passkey>('/me/passkeys', { method: 'POST', json: { name, response } });
    },
    onSuccess: () => client.invalidateQueries(),
  });
}

/** Removes one of the user's passkeys (`DELETE /me/passkeys/{id}`). */
export function useRemovePasskey() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api<void>(`/me/passkeys/${encodeURIComponent(id)}`, { method: 'DELETE' }),
    onSuccess: () => client.invalidateQueries({ queryKey: KEY }),
  });
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
