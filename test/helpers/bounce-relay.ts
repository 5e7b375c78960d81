import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import { SMTPServer } from 'smtp-server';

const FIXTURES = join(import.meta.dirname, '../fixtures/bounces');
const expected = JSON.parse(readFileSync(join(FIXTURES, 'expected.json'), 'utf8')) as Record<
  string,
  { results: { recipient: string }[] }
>;

/** The fixtures' own VERP addresses (what our sender would have written), as they appear in them. */
const FIXTURE_VERP = /bounces\+[a-z0-9.]+@bounces\.gazette\.example/gi;

/**
 * A bounce built from a fixture as a relay would send it about `recipient`: the fixture's failed
 * recipient and VERP address swapped for ours, and a Message-ID of its own (each real bounce has one).
 */
export function bounceFromFixture(name: string, swap: { recipient: string; verp: string }): Buffer {
  const original = expected[name]?.results[0]?.recipient;
  if (!original) throw new Error(`fixture ${name} has no expected recipient`);
  const escaped = original.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const text = readFileSync(join(FIXTURES, name), 'latin1')
    .replace(new RegExp(escaped, 'gi'), swap.recipient)
    .replace(FIXTURE_VERP, swap.verp)
    .replace(
      /^Message-ID:[^\r\n]*(\r?\n[ \t][^\r\n]*)*/im,
      `Message-ID: <${randomBytes(8).toString('hex')}@relay.test>`,
    );
  return Buffer.from(text, 'latin1');
}

/** A relay's reply to RCPT: null accepts; otherwise it refuses with that code and text. */
export type RelayAnswer = { code: number; message: string } | null;

/** A real SMTP relay for tests that accepts mail and, for chosen recipients, later sends back a bounce. */
export interface BouncingRelay {
  url: string;
  /** Envelope recipients of every accepted message, in order. */
  delivered: string[];
  /** Recipient (lower case) → fixture to bounce with after accepting the message. */
  bounceWith: Map<string, string>;
  answer: (address: string) => RelayAnswer;
  /** Resolves once every bounce sent so far has been taken by the receiver. */
  settled(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Starts a relay on a loopback port. Accepted messages to a recipient in `bounceWith` are followed
 * by a bounce built from that fixture, sent like an MTA's (MAIL FROM:<>) to the message's VERP
 * envelope sender at 127.0.0.1:`receiverPort`.
 */
export async function startBouncingRelay(receiverPort: number): Promise<BouncingRelay> {
  const back = nodemailer.createTransport({
    host: '127.0.0.1',
    port: receiverPort,
    ignoreTLS: true,
    pool: true,
  });
  const pending: Promise<unknown>[] = [];
  const relay: Omit<BouncingRelay, 'url' | 'close'> = {
    delivered: [],
    bounceWith: new Map(),
    answer: () => null,
    settled: async () => {
      await Promise.all(pending);
    },
  };
  const server = new SMTPServer({
    disabledCommands: ['AUTH', 'STARTTLS'],
    disableReverseLookup: true,
    logger: false,
    onRcptTo(address, _session, callback) {
      const reply = relay.answer(address.address);
      if (!reply) return callback();
      callback(Object.assign(new Error(reply.message), { responseCode: reply.code }));
    },
    onData(stream, session, callback) {
      stream.on('data', () => {});
      stream.on('end', () => {
        const verp = session.envelope.mailFrom ? session.envelope.mailFrom.address : '';
        for (const { address } of session.envelope.rcptTo) {
          relay.delivered.push(address);
          const fixture = relay.bounceWith.get(address.toLowerCase());
          if (!fixture || !verp) continue;
          const raw = bounceFromFixture(fixture, { recipient: address, verp });
          pending.push(back.sendMail({ envelope: { from: '', to: [verp] }, raw }));
        }
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return Object.assign(relay, {
    url: `smtp://127.0.0.1:${port}`,
    async close() {
      back.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  });
}
