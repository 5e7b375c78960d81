import type { AddressInfo } from 'node:net';
import { SMTPServer, type SMTPServerSession } from 'smtp-server';

/** A relay for fault tests: records every DATA it read, and can drop the connection or refuse AUTH. */
export interface FaultyRelay {
  url: string;
  /** Recipients of every message whose DATA arrived whole, acknowledged or not, in order. */
  received: string[];
  /** How many times it dropped a connection after reading a message, before answering. */
  drops: number;
  close(): Promise<void>;
}

/**
 * Starts a real SMTP server on a loopback port. `drop(rcpt, seen)` is asked after each message's
 * DATA (seen: how many times this recipient's message arrived, this one included): true closes
 * the connection without an answer, as a relay that crashes mid-DATA. With `refuseAuth` it offers
 * AUTH and answers every login with `535 5.7.8 Authentication credentials invalid`.
 */
export async function startFaultyRelay(
  opts: { drop?: (rcpt: string, seen: number) => boolean; refuseAuth?: boolean } = {},
): Promise<FaultyRelay> {
  const relay = { received: [] as string[], drops: 0 };
  const seen = new Map<string, number>();
  const server: SMTPServer = new SMTPServer({
    disabledCommands: opts.refuseAuth ? ['STARTTLS'] : ['AUTH', 'STARTTLS'],
    allowInsecureAuth: true,
    authOptional: !opts.refuseAuth,
    disableReverseLookup: true,
    logger: false,
    onAuth(_auth, _session, callback) {
      callback(Object.assign(new Error('5.7.8 Authentication credentials invalid'), { responseCode: 535 }));
    },
    onData(stream, session: SMTPServerSession, callback) {
      stream.resume();
      stream.on('end', () => {
        const rcpt = session.envelope.rcptTo[0]?.address ?? '';
        relay.received.push(rcpt);
        const n = (seen.get(rcpt) ?? 0) + 1;
        seen.set(rcpt, n);
        if (!opts.drop?.(rcpt, n)) return callback();
        relay.drops += 1;
        // smtp-server keeps its connections in a Set; close this one's socket before answering.
        const connections = (
          server as unknown as { connections: Set<{ session: unknown; _socket: { destroy(): void } }> }
        ).connections;
        for (const c of connections) if (c.session === session) c._socket.destroy();
      });
    },
  });
  server.on('error', () => {});
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  const auth = opts.refuseAuth ? 'gazette:wrong-password@' : '';
  return Object.assign(relay, {
    url: `smtp://${auth}127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  });
}
