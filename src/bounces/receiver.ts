import type { AddressInfo } from 'node:net';
import type { Queue } from 'bullmq';
import { SMTPServer, type SMTPServerSession } from 'smtp-server';
import type { Config } from '../config.ts';
import type { SubscriberStore } from '../subscribers/store.ts';
import { readUnsubscribeToken, unsubscribeWithToken } from '../subscribers/unsubscribe.ts';
import { BOUNCE_JOB, type BounceJobData, bounceJobOptions } from './bounce-queue.ts';
import type { BounceStore } from './bounce-store.ts';
import { mailboxOf } from './verp.ts';

/** What the receiver needs. */
export interface ReceiverDeps {
  config: Config;
  bounces: Pick<BounceStore, 'saveRaw'>;
  queue: Pick<Queue<BounceJobData>, 'add'>;
  store: SubscriberStore;
  log: (msg: string) => void;
}

/** A running receiver: where it listens, and a way to stop it (connections in progress finish). */
export interface RunningReceiver {
  host: string;
  port: number;
  close(): Promise<void>;
}

/** Recipients one message may have; a bounce has one, an unsubscribe mail one or two. */
const MAX_RECIPIENTS = 20;

function smtpError(code: number, message: string): Error {
  return Object.assign(new Error(message), { responseCode: code });
}

/**
 * Starts the inbound SMTP server for BOUNCE_DOMAIN. It takes mail only for `bounces[+token]@` and
 * `unsubscribe+token@` (anything else, and an unsubscribe address whose token does not verify, is
 * refused at RCPT with 550), up to BOUNCE_MAX_BYTES (else 552). Unsubscribe mail unsubscribes at once,
 * through the code behind the one-click POST; bounce mail is kept in Redis and queued for the
 * `bounce` worker. If Redis cannot take it, the client hears 451 and tries again later.
 */
export async function startBounceReceiver(
  deps: ReceiverDeps,
  opts: { port: number; host?: string },
): Promise<RunningReceiver> {
  const { config } = deps;
  const server = new SMTPServer({
    name: config.BOUNCE_DOMAIN,
    banner: 'Gazette bounce receiver',
    size: config.BOUNCE_MAX_BYTES,
    authOptional: true,
    // Bounces arrive from any MTA, unauthenticated; no certificate is configured for STARTTLS.
    disabledCommands: ['AUTH', 'STARTTLS'],
    disableReverseLookup: true,
    logger: false,
    onRcptTo(address, session, callback) {
      const box = mailboxOf(address.address, config);
      if (!box) {
        return callback(
          smtpError(550, `5.1.1 <${address.address}>: no such mailbox here; this server takes only bounces`),
        );
      }
      if (session.envelope.rcptTo.length >= MAX_RECIPIENTS) {
        return callback(smtpError(452, '4.5.3 too many recipients for one message'));
      }
      if (box.kind === 'unsubscribe') {
        const read = readUnsubscribeToken(config.GAZETTE_SECRET, box.token, deps.store.clock());
        if (!read.ok) {
          return callback(smtpError(550, `5.1.1 this unsubscribe address is not valid (${read.reason})`));
        }
      }
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      let size = 0;
      stream.on('data', (chunk: Buffer) => {
        size += chunk.length;
        // Past the limit the rest is read and dropped: the message is refused anyway.
        if (size <= config.BOUNCE_MAX_BYTES) chunks.push(chunk);
      });
      stream.on('end', () => {
        if ((stream as typeof stream & { sizeExceeded?: boolean }).sizeExceeded) {
          return callback(smtpError(552, `5.3.4 message too big (limit ${config.BOUNCE_MAX_BYTES} bytes)`));
        }
        take(deps, session, Buffer.concat(chunks)).then(
          (reply) => callback(null, reply),
          (err: Error) => {
            deps.log(`bounce receiver: cannot take a message from ${session.remoteAddress}: ${err.message}`);
            callback(smtpError(451, '4.3.0 cannot take the message now; please try again later'));
          },
        );
      });
    },
  });
  const host = opts.host ?? '0.0.0.0';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  server.on('error', (err) => deps.log(`bounce receiver: ${err.message}`));
  return {
    host,
    port: (server.server.address() as AddressInfo).port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Acts on one accepted message; resolves with the 250 reply text. */
async function take(deps: ReceiverDeps, session: SMTPServerSession, raw: Buffer): Promise<string> {
  const remote = String(session.remoteAddress ?? '').slice(0, 100);
  const bounces: string[] = [];
  const done: string[] = [];
  // The envelope holds exactly the recipients accepted at RCPT in this transaction.
  for (const { address } of session.envelope.rcptTo) {
    const box = mailboxOf(address, deps.config);
    if (box?.kind === 'bounce') bounces.push(address);
    if (box?.kind !== 'unsubscribe') continue;
    const result = await unsubscribeWithToken(deps, box.token, { via: 'mailto', by: `smtp:${remote}` });
    if (result.ok) done.push(`unsubscribe ${result.outcome}`);
  }
  if (bounces.length > 0) {
    const hash = await deps.bounces.saveRaw(raw);
    const data: BounceJobData = { raw: hash, to: bounces, remote, receivedAt: Date.now() };
    await deps.queue.add(BOUNCE_JOB, data, bounceJobOptions(data));
    done.push(`queued as ${hash.slice(0, 12)}`);
  }
  return `2.0.0 ${done.join(', ')}`;
}
