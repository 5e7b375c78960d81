import { z } from 'zod';

/** base64url text of at most `max` characters, as WebAuthn's JSON encodes bytes. */
const base64url = (max: number) =>
  z
    .string()
    .max(max)
    .regex(/^[A-Za-z0-9_-]*$/);

const Transport = z.enum(['ble', 'cable', 'hybrid', 'internal', 'nfc', 'smart-card', 'usb']);

const common = {
  id: base64url(1400),
  rawId: base64url(1400),
  type: z.literal('public-key'),
  authenticatorAttachment: z.enum(['platform', 'cross-platform']).optional(),
  clientExtensionResults: z.record(z.string(), z.unknown()),
};

/** What `navigator.credentials.create()` gave, as @simplewebauthn/browser's startRegistration sends it. */
export const PasskeyAttestation = z.object({
  ...common,
  response: z.object({
    clientDataJSON: base64url(8192),
    attestationObject: base64url(65_536),
    authenticatorData: base64url(65_536).optional(),
    transports: z.array(Transport).max(8).optional(),
    publicKeyAlgorithm: z.number().int().optional(),
    publicKey: base64url(8192).optional(),
  }),
});
export type PasskeyAttestation = z.infer<typeof PasskeyAttestation>;

/** What `navigator.credentials.get()` gave, as @simplewebauthn/browser's startAuthentication sends it. */
export const PasskeyAssertion = z.object({
  ...common,
  response: z.object({
    clientDataJSON: base64url(8192),
    authenticatorData: base64url(65_536),
    signature: base64url(2048),
    userHandle: base64url(128).optional(),
  }),
});
export type PasskeyAssertion = z.infer<typeof PasskeyAssertion>;
