import { type ParsedMail, simpleParser } from 'mailparser';
import { startTestSink } from './smtp-sink.ts';

/** The test SMTP sink, keeping every message it accepts parsed (mailparser), for tests that read mail. */
export interface SmtpCapture {
  port: number;
  messages: ParsedMail[];
  /** Resolves with the next message (or one already received and not yet taken). */
  next(timeoutMs?: number): Promise<ParsedMail>;
  close(): Promise<void>;
}

/** Starts the capture server on 127.0.0.1, port 0. */
export async function startSmtpCapture(): Promise<SmtpCapture> {
  const messages: ParsedMail[] = [];
  let taken = 0;
  const waiters: (() => void)[] = [];
  const sink = await startTestSink(() => null, {
    onMessage: (m) => {
      void simpleParser(m.raw).then((mail) => {
        messages.push(mail);
        for (const wake of waiters.splice(0)) wake();
      });
    },
  });
  return {
    port: sink.port,
    messages,
    async next(timeoutMs = 5000) {
      const deadline = Date.now() + timeoutMs;
      while (messages.length <= taken) {
        if (Date.now() > deadline) throw new Error('no message arrived');
        await new Promise<void>((resolve) => {
          waiters.push(resolve);
          setTimeout(resolve, 100);
        });
      }
      return messages[taken++] as ParsedMail;
    },
    close: sink.close,
  };
}
