import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

/**
 * scrypt's cost: N = 2^15, r = 8, p = 1 takes 32 MiB and about 100-200 ms here (see
 * `npm run bench`), which OWASP's password storage cheat sheet counts as sound. The parameters are
 * stored with each hash, so raising them later leaves old hashes readable.
 */
export const SCRYPT = { N: 2 ** 15, r: 8, p: 1, keyLength: 32 } as const;

function derive(password: string, salt: Buffer, p: { N: number; r: number; p: number }, len: number) {
  // maxmem must exceed 128 * N * r bytes, or Node refuses the parameters.
  const maxmem = 256 * p.N * p.r + 1024 * 1024;
  return new Promise<Buffer>((resolve, reject) =>
    scrypt(password.normalize('NFC'), salt, len, { N: p.N, r: p.r, p: p.p, maxmem }, (err, key) =>
      err ? reject(err) : resolve(key),
    ),
  );
}

/** Hashes a password into `scrypt$N$r$p$salt$hash` (base64url parts). */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, SCRYPT, SCRYPT.keyLength);
  return ['scrypt', SCRYPT.N, SCRYPT.r, SCRYPT.p, salt.toString('base64url'), key.toString('base64url')].join(
    '$',
  );
}

/** Whether `password` matches `stored` (from hashPassword); false for a malformed record, never throws. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [kind, n, r, p, salt, hash] = stored.split('$');
  if (kind !== 'scrypt' || !salt || !hash) return false;
  const params = { N: Number(n), r: Number(r), p: Number(p) };
  if (![params.N, params.r, params.p].every((v) => Number.isInteger(v) && v > 0)) return false;
  const expected = Buffer.from(hash, 'base64url');
  try {
    const key = await derive(password, Buffer.from(salt, 'base64url'), params, expected.length);
    return timingSafeEqual(key, expected);
  } catch {
    return false;
  }
}
