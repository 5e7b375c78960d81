import type { AddressInfo } from 'node:net';
import { SMTPServer, type SMTPServerSession } from 'smtp-server';

/** One message as the sink received it. */
export interface SunkMessage {
  from: string;
  to: string[];
  raw: Buffer;
  at: number;
}

/** A reply for a recipient: null accepts; `{ code, message }` rejects with that SMTP reply. */
export type RcptAnswer = { code: number; message: string } | null;

/** A real SMTP server on a loopback port for tests; `answer` decides each RCPT TO. */
export interface TestSink {
  port: number;
  url: string;
  messages: SunkMessage[];
  /** Recipients seen at RCPT TO, accepted or not, in order. */
  attempts: string[];
  answer: (address: string, session: SMTPServerSession) => RcptAnswer;
  close(): Promise<void>;
}

/**
 * Starts a sink that accepts everything unless `answer` says otherwise. With `keepRaw: false` it
 * keeps only envelopes (for sends of thousands of messages).
 */
export async function startTestSink(
  answer: TestSink['answer'] = () => null,
  { keepRaw = true, onMessage }: { keepRaw?: boolean; onMessage?: (m: SunkMessage) => void } = {},
): Promise<TestSink> {
  const sink: Partial<TestSink> = { messages: [], attempts: [], answer };
  const server = new SMTPServer({
    disabledCommands: ['AUTH', 'STARTTLS'],
    disableReverseLookup: true,
    logger: false,
    onRcptTo(address, session, callback) {
      sink.attempts?.push(address.address);
      const reply = (sink.answer as TestSink['answer'])(address.address, session);
      if (!reply) return callback();
      callback(Object.assign(new Error(reply.message), { responseCode: reply.code }));
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const message = {
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: keepRaw ? Buffer.concat(chunks) : Buffer.alloc(0),
          at: Date.now(),
        };
        sink.messages?.push(message);
        onMessage?.(message);
        callback();
      });
    },
  });
  // A client killed mid-message resets its connection; that is expected in crash tests.
  server.on('error', () => {});
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return Object.assign(sink, {
    port,
    url: `smtp://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }) as TestSink;
}
