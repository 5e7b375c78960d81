import type { AddressInfo } from 'node:net';
import type { Queue } from 'bullmq';
import { SMTPServer, type SMTPServerSession } from 'smtp-server';
import type { Config } from '../../config.ts';
import { JOB } from '../../queue-names.ts';
import type { SubscriberStore } from '../../subscribers/subscriber-store.ts';
import { readUnsubscribeToken, unsubscribeWithToken } from '../../subscribers/unsubscribe.ts';
import type { BounceClassifier } from '../bounce-classifier.ts';
import { type BounceJobData, bounceJobOptions } from '../bounce-queue.ts';
import type { BounceStore } from '../bounce-store.ts';
import type { ReceiverQuota } from './receiver-quota.ts';
import { mailboxOf, readVerpToken } from './verp.ts';

/** What the receiver needs. */
export interface ReceiverDeps {
  config: Config;
  bounces: Pick<BounceStore, 'saveRaw'>;
  queue: Pick<Queue<BounceJobData>, 'add'>;
  quota: ReceiverQuota;
  /** Classifies off the event loop, with a time budget per message (see startBounceClassifier). */
  classifier: Pick<BounceClassifier, 'classify'>;
  subscribers: SubscriberStore;
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
 * `unsubscribe+token@`; anything else, and a token that does not verify, is refused at RCPT with 550
 * (BOUNCE_KEEP_FORGED=on keeps forged bounces for review instead). Each client IP, and everyone
 * together, has an hourly quota of messages and bytes (452 / 421 past it). Mail that no valid token
 * vouches for is taken only up to BOUNCE_UNSIGNED_MAX_BYTES (else 552); any message up to
 * BOUNCE_MAX_BYTES. Unsubscribe mail unsubscribes at once; bounce mail is classified on arrival, in the
 * classifier's thread and within its budget (issue 17: a hostile message never holds the event loop,
 * and the client waits at most the budget for its reply): a non-bounce is dropped unstored; a bounce,
 * and a message that could not be classified in time or at all, is kept in Redis (2 days without a
 * valid token) and queued for the `bounce` worker. If Redis cannot take it, the client hears 451 and
 * tries again later.
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
    onMailFrom(_address, session, callback) {
      deps.quota.admit(clientIp(session)).then(
        (refusal) => callback(refusal ? smtpError(refusal.code, refusal.message) : undefined),
        () => callback(),
      );
    },
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
      if (box.kind === 'bounce' && box.token && config.BOUNCE_KEEP_FORGED !== 'on') {
        const read = readVerpToken(config.GAZETTE_SECRET, box.token, deps.subscribers.clock());
        if (!read.ok) {
          return callback(smtpError(550, `5.7.1 this bounce address is not valid (${read.reason})`));
        }
      }
      if (box.kind === 'unsubscribe') {
        const read = readUnsubscribeToken(config.GAZETTE_SECRET, box.token, deps.subscribers.clock());
        if (!read.ok) {
          return callback(smtpError(550, `5.1.1 this unsubscribe address is not valid (${read.reason})`));
        }
      }
      callback();
    },
    onData(stream, session, callback) {
      const limit = signed(deps, session) ? config.BOUNCE_MAX_BYTES : config.BOUNCE_UNSIGNED_MAX_BYTES;
      const chunks: Buffer[] = [];
      let size = 0;
      stream.on('data', (chunk: Buffer) => {
        size += chunk.length;
        // Past the limit the rest is read and dropped: the message is refused anyway.
        if (size <= limit) chunks.push(chunk);
      });
      stream.on('end', () => {
        if (size > limit || (stream as typeof stream & { sizeExceeded?: boolean }).sizeExceeded) {
          return callback(smtpError(552, `5.3.4 message too big (limit ${limit} bytes)`));
        }
        deps.quota
          .charge(clientIp(session), size)
          .then((refusal) => {
            if (refusal) throw smtpError(refusal.code, refusal.message);
            return take(deps, session, Buffer.concat(chunks));
          })
          .then(
            (reply) => callback(null, reply),
            (err: Error & { responseCode?: number }) => {
              if (err.responseCode) return callback(err);
              deps.log(
                `bounce receiver: cannot take a message from ${session.remoteAddress}: ${err.message}`,
              );
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

function clientIp(session: SMTPServerSession): string {
  return String(session.remoteAddress ?? 'unknown').slice(0, 100);
}

/** True when every bounce recipient of the transaction carries a token that verifies. */
function signed(deps: ReceiverDeps, session: SMTPServerSession): boolean {
  const boxes = session.envelope.rcptTo.map(({ address }) => mailboxOf(address, deps.config));
  return boxes.every(
    (box) =>
      box?.kind !== 'bounce' ||
      readVerpToken(deps.config.GAZETTE_SECRET, box.token, deps.subscribers.clock()).ok,
  );
}

/** Acts on one accepted message; resolves with the 250 reply text. */
async function take(deps: ReceiverDeps, session: SMTPServerSession, raw: Buffer): Promise<string> {
  const remote = clientIp(session);
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
    // Classified here so that junk is never stored whole: what names no failed recipient is dropped.
    const classified = await deps.classifier.classify(raw);
    if (classified.outcome === 'classified' && classified.results.length === 0) {
      done.push('not a bounce; dropped');
    } else {
      if (classified.outcome === 'over-budget') {
        deps.log(
          `bounce receiver: a message from ${remote} took over ${classified.budgetMs} ms to classify; kept unclassified for the bounce worker`,
        );
      }
      const hash = await deps.bounces.saveRaw(raw, signed(deps, session));
      const data: BounceJobData = { raw: hash, to: bounces, remote, receivedAt: Date.now() };
      await deps.queue.add(JOB.bounce, data, bounceJobOptions(data));
      done.push(`queued as ${hash.slice(0, 12)}`);
    }
  }
  return `2.0.0 ${done.join(', ')}`;
}
