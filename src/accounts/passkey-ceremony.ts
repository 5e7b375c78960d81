import { createHmac, hkdfSync } from 'node:crypto';
import {
  type AuthenticationResponseJSON,
  type AuthenticatorTransport,
  generateAuthenticationOptions,
  generateRegistrationOptions,
  type PublicKeyCredentialCreationOptionsJSON,
  type PublicKeyCredentialRequestOptionsJSON,
  type RegistrationResponseJSON,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
} from '@simplewebauthn/server';
import { isoBase64URL } from '@simplewebauthn/server/helpers';
import { z } from 'zod';
import { type Config, deskOrigin } from '../config.ts';
import type { PasskeyAssertion, PasskeyAttestation } from './passkey-responses.ts';
import type { ChallengeBinding, PasskeyStore, StoredPasskey } from './passkey-store.ts';

/** Who the passkeys are for: the desk's host (the RP ID) and the origin its pages run on. */
export interface RelyingParty {
  id: string;
  origin: string;
  name: string;
}

/** The desk's relying party: its origin (DESK_URL, else PUBLIC_URL's) and that origin's host name. */
export function relyingPartyOf(config: Pick<Config, 'DESK_URL' | 'PUBLIC_URL'>): RelyingParty {
  const origin = deskOrigin(config);
  return { id: new URL(origin).hostname, origin, name: 'Gazette' };
}

/** Why a passkey ceremony was refused; each is a message code (`msg.<refusal>`). */
export type PasskeyRefusal =
  | 'passkey-challenge'
  | 'passkey-origin'
  | 'passkey-unknown'
  | 'passkey-not-yours'
  | 'passkey-invalid'
  | 'passkey-taken';

export type PasskeyOutcome<T> = ({ ok: true } & T) | { ok: false; refusal: PasskeyRefusal };

const ClientData = z.object({
  type: z.string(),
  challenge: z.string().max(512),
  origin: z.string().max(2048),
});

/** The client data's challenge and origin, or null when it is not client data at all. */
function clientDataOf(encoded: string): z.infer<typeof ClientData> | null {
  try {
    const parsed = ClientData.safeParse(JSON.parse(isoBase64URL.toUTF8String(encoded)));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** The stored transports, as the library names them (stored as the browser reported them). */
const transportsOf = (p: StoredPasskey) => p.transports as AuthenticatorTransport[];

const sameBinding = (a: ChallengeBinding, b: ChallengeBinding) => JSON.stringify(a) === JSON.stringify(b);

/**
 * WebAuthn ceremonies of desk accounts (issue 22) with @simplewebauthn/server: enrolling a passkey,
 * using one as the second factor after a password, and signing in with one alone (a discoverable
 * credential, user verification required). Every challenge is taken once, within five minutes, by
 * the ceremony, user and origin it was handed out for; a refusal says which of these failed.
 */
export function createPasskeyCeremony({
  store,
  relyingParty: rp,
  secret,
  clock = Date.now,
}: {
  store: PasskeyStore;
  relyingParty: RelyingParty;
  secret: string;
  clock?: () => number;
}) {
  const handleKey = Buffer.from(hkdfSync('sha256', secret, 'gazette', 'passkey-user-handle', 32));
  /** The user handle an authenticator keeps for `email`: stable, and no address in it. */
  const userHandle = (email: string) =>
    createHmac('sha256', handleKey).update(email).digest().subarray(0, 16);

  /** Takes the challenge the client signed: refused unless it is live, for `want`, and signed on the desk's origin. */
  async function claim(clientDataJSON: string, want: ChallengeBinding): Promise<PasskeyRefusal | string> {
    const data = clientDataOf(clientDataJSON);
    if (!data) return 'passkey-invalid';
    const bound = await store.takeChallenge(data.challenge);
    if (!bound || !sameBinding(bound, want)) return 'passkey-challenge';
    if (data.origin !== rp.origin) return 'passkey-origin';
    return data.challenge;
  }
  const refused = (r: string): r is PasskeyRefusal => r.startsWith('passkey-');

  async function requestOptions(binding: ChallengeBinding, allow: StoredPasskey[]) {
    const options = await generateAuthenticationOptions({
      rpID: rp.id,
      allowCredentials: allow.map((p) => ({ id: p.id, transports: transportsOf(p) })),
      userVerification: binding.for === 'sign-in' ? 'required' : 'preferred',
    });
    await store.keepChallenge(options.challenge, binding);
    return options;
  }

  return {
    /** Options for `navigator.credentials.create()` to enrol a passkey of `user` (a resident key). */
    async registrationOptions(user: {
      email: string;
      name: string;
    }): Promise<PublicKeyCredentialCreationOptionsJSON> {
      const existing = await store.list(user.email);
      const options = await generateRegistrationOptions({
        rpName: rp.name,
        rpID: rp.id,
        userName: user.email,
        userDisplayName: user.name || user.email,
        userID: userHandle(user.email),
        attestationType: 'none',
        excludeCredentials: existing.map((p) => ({ id: p.id, transports: p.transports })),
        authenticatorSelection: { residentKey: 'required', userVerification: 'preferred' },
      });
      await store.keepChallenge(options.challenge, { for: 'register', email: user.email });
      return options;
    },
    /** Verifies an enrolment by `email` and stores the passkey as `name`. */
    async register(
      email: string,
      name: string,
      response: PasskeyAttestation,
    ): Promise<PasskeyOutcome<{ passkey: StoredPasskey }>> {
      const challenge = await claim(response.response.clientDataJSON, { for: 'register', email });
      if (refused(challenge)) return { ok: false, refusal: challenge };
      const verified = await verifyRegistrationResponse({
        // Checked by PasskeyAttestation's shape; the library checks every byte.
        response: response as RegistrationResponseJSON,
        expectedChallenge: challenge,
        expectedOrigin: rp.origin,
        expectedRPID: rp.id,
        requireUserVerification: false,
      }).catch(() => null);
      if (!verified?.verified) return { ok: false, refusal: 'passkey-invalid' };
      const { credential } = verified.registrationInfo;
      const passkey: StoredPasskey = {
        id: credential.id,
        name,
        publicKey: isoBase64URL.fromBuffer(credential.publicKey),
        counter: credential.counter,
        transports: credential.transports ?? [],
        createdAt: new Date(clock()).toISOString(),
        lastUsedAt: null,
      };
      if (!(await store.add(email, passkey))) return { ok: false, refusal: 'passkey-taken' };
      return { ok: true, passkey };
    },
    /**
     * Options for `navigator.credentials.get()`: with `email`, the second factor of that user's
     * sign-in (their passkeys only); without, a password-less sign-in (any discoverable passkey).
     */
    async signInOptions(email?: string): Promise<PublicKeyCredentialRequestOptionsJSON> {
      if (email === undefined) return requestOptions({ for: 'sign-in' }, []);
      return requestOptions({ for: 'second-factor', email }, await store.list(email));
    },
    /**
     * Verifies a signed assertion: with `email`, as that user's second factor; without, as a
     * password-less sign-in, which needs user verification. The owner of the passkey used.
     */
    async verifySignIn(
      response: PasskeyAssertion,
      email?: string,
    ): Promise<PasskeyOutcome<{ email: string }>> {
      const want: ChallengeBinding =
        email === undefined ? { for: 'sign-in' } : { for: 'second-factor', email };
      const challenge = await claim(response.response.clientDataJSON, want);
      if (refused(challenge)) return { ok: false, refusal: challenge };
      const found = await store.find(response.id);
      if (!found) return { ok: false, refusal: 'passkey-unknown' };
      const handle = response.response.userHandle;
      const handleOf = isoBase64URL.fromBuffer(userHandle(found.email));
      if ((email !== undefined && found.email !== email) || (handle && handle !== handleOf)) {
        return { ok: false, refusal: 'passkey-not-yours' };
      }
      const verified = await verifyAuthenticationResponse({
        response: response as AuthenticationResponseJSON,
        expectedChallenge: challenge,
        expectedOrigin: rp.origin,
        expectedRPID: rp.id,
        credential: {
          id: found.passkey.id,
          publicKey: isoBase64URL.toBuffer(found.passkey.publicKey),
          counter: found.passkey.counter,
          transports: transportsOf(found.passkey),
        },
        requireUserVerification: email === undefined,
      }).catch(() => null);
      if (!verified?.verified) return { ok: false, refusal: 'passkey-invalid' };
      const at = new Date(clock()).toISOString();
      await store.used(found.email, found.passkey.id, verified.authenticationInfo.newCounter, at);
      return { ok: true, email: found.email };
    },
  };
}

/** The passkey ceremonies' interface (see createPasskeyCeremony). */
export type PasskeyCeremony = ReturnType<typeof createPasskeyCeremony>;
