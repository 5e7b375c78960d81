import { type PublicKeyCredentialCreationOptionsJSON, startRegistration } from '@simplewebauthn/browser';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Passkey, PasskeyAttestation, PasskeyCreationOptions, PasskeyList } from '../../api/schemas.ts';
import { api } from './http.ts';

const KEY = ['me', 'passkeys'] as const;

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

/** Removes one of the user's passkeys (`DELETE /me/passkeys/{id}`; 403 `confirm-identity` without a recent proof). */
export function useRemovePasskey() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api<void>(`/me/passkeys/${encodeURIComponent(id)}`, { method: 'DELETE' }),
    onSuccess: () => client.invalidateQueries({ queryKey: KEY }),
  });
}
