import { createPrivateKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import nodemailer from 'nodemailer';
import MailComposer from 'nodemailer/lib/mail-composer';
import type Mail from 'nodemailer/lib/mailer';
import type SMTPPool from 'nodemailer/lib/smtp-pool';
import type { Config } from '../../config.ts';
import { type DkimKey, signDkim } from '../message/dkim-sign.ts';
import type { RenderedMessage } from '../message/message-template.ts';
import { startDevSink } from './dev-sink.ts';

/** Sends finished messages; one per worker process, shared by its jobs. */
export interface Mailer {
  /** Hands one message to the relay; resolves with the relay's reply, rejects with nodemailer's error. */
  send(message: RenderedMessage): Promise<string>;
  /** Composes one mail (the server's own, e.g. a sign-up's confirmation) and sends it as `send` does. */
  sendMail(mail: Mail.Options): Promise<string>;
  close(): Promise<void>;
  /** Where mail goes, for people: `smtp://host:port` or the sink's folder. */
  target: string;
}

/** DKIM_PRIVATE_KEY holds a PEM key (with real or `\n` line breaks) or the path of a PEM file. */
function readKey(value: string): string {
  if (value.includes('-----BEGIN')) return value.replace(/\\n/g, '\n');
  return readFileSync(value, 'utf8');
}

/**
 * The DKIM key when DKIM_DOMAIN, DKIM_SELECTOR and DKIM_PRIVATE_KEY are all set, else undefined.
 * Throws a sentence when the key is not a PEM RSA private key (the config checked the names).
 */
export function dkimKey(config: Config): DkimKey | undefined {
  if (!config.DKIM_DOMAIN || !config.DKIM_SELECTOR || !config.DKIM_PRIVATE_KEY) return undefined;
  let privateKey: DkimKey['privateKey'];
  try {
    privateKey = createPrivateKey(readKey(config.DKIM_PRIVATE_KEY));
  } catch {
    throw new Error('DKIM_PRIVATE_KEY holds no usable PEM private key (nor the path of a file holding one).');
  }
  if (privateKey.asymmetricKeyType !== 'rsa') throw new Error('DKIM_PRIVATE_KEY must be an RSA key.');
  return { domain: config.DKIM_DOMAIN, selector: config.DKIM_SELECTOR, privateKey };
}

/** Pool options for an SMTP URL (`smtp://user:pass@host:port`, `smtps://` for implicit TLS). */
export function poolOptions(config: Config, url: string): SMTPPool.Options {
  const u = new URL(url);
  const secure = u.protocol === 'smtps:';
  return {
    pool: true,
    host: u.hostname,
    port: Number(u.port || (secure ? 465 : 587)),
    secure,
    ...(u.username
      ? { auth: { user: decodeURIComponent(u.username), pass: decodeURIComponent(u.password) } }
      : {}),
    maxConnections: config.SMTP_MAX_CONNECTIONS,
    // Relays often cap messages per connection; reconnecting every 500 costs well under 1%.
    maxMessages: 500,
    // One retry layer: the delivery job's. The pool's own re-send of a message whose connection
    // dropped (default 5) would send it again before the job knows, outside the in-flight bound.
    maxRequeues: 0,
    // nodemailer waits 10 minutes on a silent socket by default; a worker told to stop would too.
    socketTimeout: 60_000,
  };
}

/**
 * Creates the worker's mailer: a pooled nodemailer transport to SMTP_URL or, when SMTP_URL is
 * unset, to a built-in sink started here that writes each message under OUTBOX_DIR.
 */
export async function createMailer(config: Config, log: (msg: string) => void = () => {}): Promise<Mailer> {
  // Read before the sink starts: a bad key stops here, with nothing left running.
  const dkim = dkimKey(config);
  const sink = config.SMTP_URL ? null : await startDevSink({ dir: config.OUTBOX_DIR, log });
  const url = config.SMTP_URL ?? `smtp://${sink?.host}:${sink?.port}`;
  const transport = nodemailer.createTransport({
    ...poolOptions(config, url),
    // The loopback sink offers no TLS; a real relay gets STARTTLS as nodemailer negotiates it.
    ...(sink ? { ignoreTLS: true } : {}),
  });
  const target = sink ? `the built-in sink (${sink.dir})` : `${new URL(url).protocol}//${new URL(url).host}`;
  async function send(message: RenderedMessage): Promise<string> {
    // Our Message-ID spares nodemailer generating one (five random reads) for a header it never writes.
    const info = await transport.sendMail({
      envelope: message.envelope,
      // Signed here rather than by nodemailer's DKIM, which cannot over-sign (see dkim-sign.ts).
      raw: dkim ? signDkim(message.raw, dkim) : message.raw,
      messageId: message.messageId,
    });
    return info.response;
  }
  return {
    target,
    send,
    async sendMail(mail) {
      const composed = new MailComposer(mail).compile();
      const envelope = composed.getEnvelope();
      const raw = await composed.build();
      return send({
        raw,
        envelope: { from: envelope.from || '', to: envelope.to },
        messageId: composed.messageId(),
      });
    },
    async close() {
      transport.close();
      await sink?.close();
    },
  };
}

/** A mailer that opens its pool (or starts the built-in sink) at the first message only, e.g. the desk's test sends. */
export function lazyMailer(config: Config, log: (msg: string) => void = () => {}): Mailer {
  let opened: Promise<Mailer> | undefined;
  const open = () => {
    opened ??= createMailer(config, log);
    return opened;
  };
  return {
    target: config.SMTP_URL ? 'the SMTP relay' : 'the built-in sink',
    send: async (message) => (await open()).send(message),
    sendMail: async (mail) => (await open()).sendMail(mail),
    close: async () => {
      if (opened) await (await opened).close();
    },
  };
}
