import { z } from 'zod';
import type { PasskeyStore } from './passkey-store.ts';
import type { SecondFactorStore } from './second-factor-store.ts';

/** The kinds of second factor a desk user may have: an authenticator app's codes, or passkeys. */
export const SecondFactorMethod = z.enum(['totp', 'passkey']).meta({ id: 'SecondFactorMethod' });
export type SecondFactorMethod = z.infer<typeof SecondFactorMethod>;

/** The second factors `email` has; empty when none (either kind satisfies the admin's policy). */
export async function secondFactorMethods(
  deps: { secondFactors: Pick<SecondFactorStore, 'enrolled'>; passkeys: Pick<PasskeyStore, 'has'> },
  email: string,
): Promise<SecondFactorMethod[]> {
  const [totp, passkey] = await Promise.all([deps.secondFactors.enrolled(email), deps.passkeys.has(email)]);
  return [...(totp ? (['totp'] as const) : []), ...(passkey ? (['passkey'] as const) : [])];
}
