import { verify, X509Certificate } from 'node:crypto';
import { z } from 'zod';

/** An Amazon SNS message as SNS POSTs it to an HTTPS subscription. */
export const SnsMessage = z.object({
  Type: z.enum(['Notification', 'SubscriptionConfirmation', 'UnsubscribeConfirmation']),
  MessageId: z.string().min(1).max(200),
  TopicArn: z.string().min(1).max(300),
  Subject: z.string().max(1000).optional(),
  Message: z.string(),
  Timestamp: z.string().min(1).max(64),
  SignatureVersion: z.enum(['1', '2']),
  Signature: z.string().min(1).max(4096),
  SigningCertURL: z.string().min(1).max(2048),
  SubscribeURL: z.string().max(4096).optional(),
  Token: z.string().max(4096).optional(),
  UnsubscribeURL: z.string().max(4096).optional(),
});
export type SnsMessage = z.infer<typeof SnsMessage>;

/** `sns.<region>.amazonaws.com`, e.g. sns.us-east-1 or sns.us-gov-west-1. */
const SNS_HOST = /^sns\.[a-z]{2}(?:-[a-z]+)+-\d{1,2}\.amazonaws\.com$/;

/**
 * Whether `value` is an https URL on an Amazon SNS host (`sns.<region>.amazonaws.com`, default port,
 * no user info): the only URLs the SES webhook ever fetches, for the signing certificate and to
 * confirm a subscription.
 */
export function isAwsSnsUrl(value: string): boolean {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  return (
    url.protocol === 'https:' &&
    url.port === '' &&
    url.username === '' &&
    url.password === '' &&
    SNS_HOST.test(url.hostname)
  );
}

/**
 * The text SNS signs: the message's fields as `name\nvalue\n`, in the documented order, for its type.
 * Subject is signed only when present; confirmations sign SubscribeURL and Token instead of it.
 */
export function snsStringToSign(m: SnsMessage): string {
  const names =
    m.Type === 'Notification'
      ? (['Message', 'MessageId', 'Subject', 'Timestamp', 'TopicArn', 'Type'] as const)
      : (['Message', 'MessageId', 'SubscribeURL', 'Timestamp', 'Token', 'TopicArn', 'Type'] as const);
  return names
    .filter((n) => m[n] !== undefined)
    .map((n) => `${n}\n${m[n]}\n`)
    .join('');
}

/** Which URLs may be fetched and how. The default trusts only AWS SNS hosts; tests inject their own. */
export interface SnsTrust {
  trusts(url: string): boolean;
  /** GETs a URL and resolves with its body; rejects on a non-2xx answer. */
  get(url: string): Promise<string>;
}

const MAX_FETCH = 64 * 1024;

/** The production trust: AWS SNS https hosts only, no redirects, a 5 s timeout and a 64 KB cap. */
export const awsSnsTrust: SnsTrust = {
  trusts: isAwsSnsUrl,
  async get(url) {
    const res = await fetch(url, { redirect: 'error', signal: AbortSignal.timeout(5000) });
    const body = await res.text();
    if (!res.ok) throw new Error(`${url} answered ${res.status}`);
    if (body.length > MAX_FETCH) throw new Error(`${url} sent more than ${MAX_FETCH} bytes`);
    return body;
  },
};

/** The outcome of checking a message: fine, or why not, in words. */
export type SnsCheck = { ok: true } | { ok: false; reason: string };

const MAX_CERTS = 32;

/**
 * Verifies SNS message signatures (SignatureVersion 1: RSA-SHA1, 2: RSA-SHA256) against the signing
 * certificate, fetched only from a URL `trust` accepts and cached by URL; and confirms subscriptions
 * by a GET to their SubscribeURL, again only when `trust` accepts it.
 */
export function createSnsVerifier(trust: SnsTrust = awsSnsTrust, clock: () => number = Date.now) {
  const certs = new Map<string, Promise<X509Certificate>>();

  function certificate(url: string): Promise<X509Certificate> {
    let cert = certs.get(url);
    if (!cert) {
      cert = trust.get(url).then((pem) => new X509Certificate(pem));
      cert.catch(() => certs.delete(url));
      certs.set(url, cert);
      if (certs.size > MAX_CERTS) certs.delete(certs.keys().next().value as string);
    }
    return cert;
  }

  return {
    async verify(m: SnsMessage): Promise<SnsCheck> {
      if (!trust.trusts(m.SigningCertURL) || !new URL(m.SigningCertURL).pathname.endsWith('.pem')) {
        return { ok: false, reason: 'the signing certificate URL is not an Amazon SNS https URL' };
      }
      let cert: X509Certificate;
      try {
        cert = await certificate(m.SigningCertURL);
      } catch (err) {
        return { ok: false, reason: `the signing certificate could not be read (${(err as Error).message})` };
      }
      const now = clock();
      if (now < Date.parse(cert.validFrom) || now > Date.parse(cert.validTo)) {
        return { ok: false, reason: 'the signing certificate is not valid now' };
      }
      const algorithm = m.SignatureVersion === '1' ? 'sha1' : 'sha256';
      const good = verify(
        algorithm,
        Buffer.from(snsStringToSign(m), 'utf8'),
        cert.publicKey,
        Buffer.from(m.Signature, 'base64'),
      );
      return good ? { ok: true } : { ok: false, reason: 'the signature does not match the message' };
    },
    /** Confirms a (verified) SubscriptionConfirmation by visiting its SubscribeURL. */
    async confirm(m: SnsMessage): Promise<SnsCheck> {
      if (!m.SubscribeURL || !trust.trusts(m.SubscribeURL)) {
        return { ok: false, reason: 'the SubscribeURL is not an Amazon SNS https URL' };
      }
      try {
        await trust.get(m.SubscribeURL);
        return { ok: true };
      } catch (err) {
        return { ok: false, reason: `confirming failed (${(err as Error).message})` };
      }
    },
  };
}

/** The SNS verifier's interface (see createSnsVerifier). */
export type SnsVerifier = ReturnType<typeof createSnsVerifier>;
