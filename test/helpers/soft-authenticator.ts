import { createHash, generateKeyPairSync, type KeyObject, randomBytes, sign } from 'node:crypto';
import { isoBase64URL, isoCBOR } from '@simplewebauthn/server/helpers';

/** One credential the authenticator holds: its id, P-256 key, the RP and user it was made for, and its counter. */
export interface SoftCredential {
  id: string;
  key: KeyObject;
  publicKey: { x: Uint8Array; y: Uint8Array };
  rpId: string;
  userHandle: string;
  counter: number;
}

interface CreationOptions {
  challenge: string;
  rp: { id?: string };
  user: { id: string };
}
interface RequestOptions {
  challenge: string;
  rpId?: string;
  allowCredentials?: { id: string }[];
}

/** How a ceremony is done: on which origin, with or without user verification. */
export interface Gesture {
  origin?: string;
  userVerified?: boolean;
}

const sha256 = (data: Uint8Array | string) => new Uint8Array(createHash('sha256').update(data).digest());
const b64 = (bytes: Uint8Array) => isoBase64URL.fromBuffer(new Uint8Array(bytes));

function authData(rpId: string, flags: number, counter: number, attested?: Uint8Array): Uint8Array {
  const count = Buffer.alloc(4);
  count.writeUInt32BE(counter);
  return new Uint8Array(
    Buffer.concat([sha256(rpId), Buffer.from([flags]), count, attested ?? Buffer.alloc(0)]),
  );
}

/**
 * A WebAuthn authenticator in software, for API tests: ES256 credentials, `none` attestation, and
 * the client data a browser would build for `origin`. It signs whatever it is asked to, on any
 * origin, so the tests can show what the server refuses.
 */
export function softAuthenticator(origin: string) {
  const credentials = new Map<string, SoftCredential>();

  function clientData(type: string, challenge: string, at: string): string {
    return b64(new TextEncoder().encode(JSON.stringify({ type, challenge, origin: at, crossOrigin: false })));
  }

  return {
    credentials,
    /** Answers `navigator.credentials.create(options)`; `reuse` makes it hand out a credential it holds already. */
    create(options: CreationOptions, gesture: Gesture & { reuse?: SoftCredential } = {}) {
      const rpId = options.rp.id ?? new URL(origin).hostname;
      const made = gesture.reuse ?? newCredential(rpId, options.user.id);
      credentials.set(made.id, made);
      const idBytes = isoBase64URL.toBuffer(made.id);
      const cose = isoCBOR.encode(
        new Map<number, number | Uint8Array>([
          [1, 2],
          [3, -7],
          [-1, 1],
          [-2, made.publicKey.x],
          [-3, made.publicKey.y],
        ]),
      );
      const length = Buffer.alloc(2);
      length.writeUInt16BE(idBytes.length);
      const attested = Buffer.concat([Buffer.alloc(16), length, idBytes, cose]);
      const flags = 0x01 | 0x40 | (gesture.userVerified === false ? 0 : 0x04);
      const attestationObject = isoCBOR.encode(
        new Map<string, string | Map<string, string> | Uint8Array>([
          ['fmt', 'none'],
          ['attStmt', new Map<string, string>()],
          ['authData', authData(rpId, flags, made.counter, attested)],
        ]),
      );
      return {
        id: made.id,
        rawId: made.id,
        type: 'public-key' as const,
        response: {
          clientDataJSON: clientData('webauthn.create', options.challenge, gesture.origin ?? origin),
          attestationObject: b64(attestationObject),
          transports: ['internal' as const],
        },
        clientExtensionResults: {},
      };
    },
    /** Answers `navigator.credentials.get(options)` with `credential` (default: the first allowed, else any held). */
    get(options: RequestOptions, gesture: Gesture & { credential?: SoftCredential } = {}) {
      const chosen =
        gesture.credential ??
        credentials.get(options.allowCredentials?.[0]?.id ?? '') ??
        [...credentials.values()][0];
      if (!chosen) throw new Error('the soft authenticator holds no credential');
      chosen.counter += 1;
      const flags = 0x01 | (gesture.userVerified === false ? 0 : 0x04);
      const data = authData(options.rpId ?? chosen.rpId, flags, chosen.counter);
      const clientDataJSON = clientData('webauthn.get', options.challenge, gesture.origin ?? origin);
      const signed = Buffer.concat([data, sha256(isoBase64URL.toBuffer(clientDataJSON))]);
      return {
        id: chosen.id,
        rawId: chosen.id,
        type: 'public-key' as const,
        response: {
          clientDataJSON,
          authenticatorData: b64(data),
          signature: b64(new Uint8Array(sign('sha256', signed, chosen.key))),
          userHandle: chosen.userHandle,
        },
        clientExtensionResults: {},
      };
    },
  };
}

function newCredential(rpId: string, userHandle: string): SoftCredential {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const jwk = publicKey.export({ format: 'jwk' });
  return {
    id: b64(new Uint8Array(randomBytes(16))),
    key: privateKey,
    publicKey: { x: isoBase64URL.toBuffer(jwk.x ?? ''), y: isoBase64URL.toBuffer(jwk.y ?? '') },
    rpId,
    userHandle,
    counter: 0,
  };
}

/** A soft authenticator (see softAuthenticator). */
export type SoftAuthenticator = ReturnType<typeof softAuthenticator>;
