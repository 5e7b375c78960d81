import { execFileSync } from 'node:child_process';
import { sign } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, get as httpsGet, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SnsMessage, SnsTrust } from '../../src/bounces/sources/sns.ts';
import { snsStringToSign } from '../../src/bounces/sources/sns.ts';

/** A stand-in for SNS in tests: our own RSA key and self-signed certificate, served over https on loopback. */
export interface FakeSns {
  /** The URL of the signing certificate. */
  certUrl: string;
  /** Base URL of the https server (a SubscribeURL can point here). */
  base: string;
  /** Paths requested from the https server, in order. */
  requests: string[];
  /** Trust for the verifier: this server only, with its certificate as the CA. Tests only. */
  trust: SnsTrust;
  /** Signs a message as SNS would (SignatureVersion 1: SHA1, 2: SHA256). */
  sign(m: Omit<SnsMessage, 'Signature' | 'SigningCertURL'>): SnsMessage;
  close(): Promise<void>;
}

/** Generates a key and a self-signed certificate for 127.0.0.1 with openssl (one second at most). */
function keyAndCert(): { key: string; cert: string } {
  const dir = mkdtempSync(join(tmpdir(), 'gazette-sns-'));
  try {
    execFileSync(
      'openssl',
      [
        ...['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1'],
        ...['-addext', 'subjectAltName=IP:127.0.0.1'],
        ...['-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')],
      ],
      { stdio: 'ignore' },
    );
    return {
      key: readFileSync(join(dir, 'key.pem'), 'utf8'),
      cert: readFileSync(join(dir, 'cert.pem'), 'utf8'),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Starts the fake SNS: it serves the certificate at /SimpleNotificationService-test.pem and 200 for anything else. */
export async function startFakeSns(): Promise<FakeSns> {
  const { key, cert } = keyAndCert();
  const requests: string[] = [];
  const server: Server = createServer({ key, cert }, (req, res) => {
    requests.push(req.url ?? '');
    if (req.url?.endsWith('.pem')) res.end(cert);
    else res.end('<ConfirmSubscriptionResponse/>');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const certUrl = `${base}/SimpleNotificationService-test.pem`;
  const trust: SnsTrust = {
    trusts: (url) => url.startsWith(`${base}/`),
    get: (url) =>
      new Promise((resolve, reject) => {
        httpsGet(url, { ca: cert }, (res) => {
          let body = '';
          res.on('data', (c: Buffer) => {
            body += c.toString('utf8');
          });
          res.on('end', () =>
            res.statusCode === 200 ? resolve(body) : reject(new Error(`status ${res.statusCode}`)),
          );
        }).on('error', reject);
      }),
  };
  return {
    certUrl,
    base,
    requests,
    trust,
    sign(m) {
      const unsigned = { ...m, Signature: 'x', SigningCertURL: certUrl } as SnsMessage;
      const algorithm = m.SignatureVersion === '1' ? 'sha1' : 'sha256';
      const signature = sign(algorithm, Buffer.from(snsStringToSign(unsigned), 'utf8'), key).toString(
        'base64',
      );
      return { ...unsigned, Signature: signature };
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
