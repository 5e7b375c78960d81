import { mkdir, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { SMTPServer } from 'smtp-server';

/** A running built-in sink. */
export interface DevSink {
  host: string;
  port: number;
  dir: string;
  close(): Promise<void>;
}

/** The send id from a VERP envelope sender `bounces+<send>.<subscriber>.…@domain`, or `other`. */
function folderOf(mailFrom: string): string {
  const match = /^bounces\+([a-z0-9_-]+)\./.exec(mailFrom);
  return match?.[1] ?? 'other';
}

/** Writes `data` to `<dir>/<n>.eml` with the first free n (exclusive create: several processes may share the folder). */
async function writeNext(dir: string, next: Map<string, number>, data: Buffer): Promise<string> {
  await mkdir(dir, { recursive: true });
  for (let n = next.get(dir) ?? 1; ; n++) {
    const file = join(dir, `${n}.eml`);
    try {
      await writeFile(file, data, { flag: 'wx' });
      next.set(dir, n + 1);
      return file;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
  }
}

/**
 * Starts the built-in development sink: an SMTP server on loopback that accepts every message and
 * writes it to `<dir>/<send id>/<n>.eml`, with the Return-Path a receiving server would add.
 */
export async function startDevSink(opts: {
  dir: string;
  port?: number;
  log?: (msg: string) => void;
}): Promise<DevSink> {
  const next = new Map<string, number>();
  const host = '127.0.0.1';
  const server = new SMTPServer({
    disabledCommands: ['AUTH', 'STARTTLS'],
    disableReverseLookup: true,
    logger: false,
    banner: 'Gazette development sink',
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const from = session.envelope.mailFrom ? session.envelope.mailFrom.address : '';
        const data = Buffer.concat([Buffer.from(`Return-Path: <${from}>\r\n`), ...chunks]);
        writeNext(join(opts.dir, folderOf(from)), next, data).then(
          () => callback(null),
          (err: Error) => {
            opts.log?.(`dev sink: cannot write a message: ${err.message}`);
            callback(
              Object.assign(new Error('451 4.3.0 cannot store the message now'), { responseCode: 451 }),
            );
          },
        );
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => resolve());
  });
  server.on('error', (err) => opts.log?.(`dev sink: ${err.message}`));
  return {
    host,
    port: (server.server.address() as AddressInfo).port,
    dir: opts.dir,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
