import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Hono } from 'hono';
import { type ParsedMail, simpleParser } from 'mailparser';
import { formatInstant } from '../../send/control/send-time.ts';
import { EmailFrames, html, Page } from './preview-pages.tsx';

/** Messages listed per send; the newest come first. */
const LIST_CAP = 100;
const NAME = /^[A-Za-z0-9._-]+$/;

async function listDir(path: string): Promise<string[]> {
  return readdir(path).catch(() => []);
}

/**
 * The Outbox of the built-in SMTP sink (OUTBOX_DIR/<send>/<n>.eml), like a local mail catcher:
 * the messages of each send with their headers, rendered HTML and text part.
 */
export function outboxRoutes(outboxDir: string, zone: string): Hono {
  const app = new Hono();

  app.get('/', async (c) => {
    const sends = (await listDir(outboxDir)).filter((s) => NAME.test(s));
    const rows = await Promise.all(
      sends.map(async (send) => {
        const files = (await listDir(join(outboxDir, send))).filter((f) => f.endsWith('.eml'));
        const newest = files.sort((a, b) => parseInt(b, 10) - parseInt(a, 10)).slice(0, LIST_CAP);
        const mails = await Promise.all(
          newest.map(async (file) => ({
            file,
            mail: await simpleParser(await readFile(join(outboxDir, send, file))),
          })),
        );
        const mtime = (await stat(join(outboxDir, send))).mtimeMs;
        return { send, count: files.length, mails, mtime };
      }),
    );
    rows.sort((a, b) => b.mtime - a.mtime);
    return c.html(
      html(
        <Page title={`Messages in ${outboxDir}/`}>
          {rows.length === 0 && (
            <p>No messages yet: the built-in sink writes to {outboxDir}/ when SMTP_URL is unset.</p>
          )}
          {rows.map((r) => (
            <section key={r.send}>
              <h2>
                Send {r.send} · {r.count} message(s)
              </h2>
              <table>
                <thead>
                  <tr>
                    <th>File</th>
                    <th>To</th>
                    <th>Subject</th>
                    <th>Date</th>
                  </tr>
                </thead>
                <tbody>
                  {r.mails.map(({ file, mail }) => (
                    <tr key={file}>
                      <td>
                        <a href={`/outbox/${r.send}/${file}`}>{file}</a>
                      </td>
                      <td>{mail.to && 'text' in mail.to ? mail.to.text : ''}</td>
                      <td>{mail.subject}</td>
                      <td>{mail.date && formatInstant(mail.date.getTime(), zone)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </section>
          ))}
        </Page>,
      ),
    );
  });

  const load = async (send: string, file: string) => {
    if (!NAME.test(send) || !NAME.test(file) || !file.endsWith('.eml')) return null;
    const raw = await readFile(join(outboxDir, send, file)).catch(() => null);
    return raw && simpleParser(raw);
  };

  app.get('/:send/:file', async (c) => {
    const { send, file } = c.req.param();
    const mail = await load(send, file);
    if (!mail) return c.notFound();
    return c.html(
      html(
        <Page title={`${send}/${file}`}>
          <table>
            <tbody>
              <tr>
                <th>Subject (decoded)</th>
                <td>{mail.subject}</td>
              </tr>
              {/* Header lines decoded (RFC 2047 words, addresses); the line as it arrived on hover. React escapes them. */}
              {mail.headerLines.map(({ key, line }, i) => {
                const raw = line
                  .slice(line.indexOf(':') + 1)
                  .replace(/\r?\n[ \t]+/g, ' ')
                  .trim();
                return (
                  // biome-ignore lint/suspicious/noArrayIndexKey: a header may repeat; order is fixed
                  <tr key={i}>
                    <th>{key}</th>
                    <td title={raw}>{decodedHeader(mail, key, zone) ?? raw}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          <EmailFrames src={`/outbox/${send}/${file}/html`} sandboxed />
          <h2>Plain text</h2>
          <pre>{mail.text}</pre>
        </Page>,
      ),
    );
  });

  app.get('/:send/:file/html', async (c) => {
    const { send, file } = c.req.param();
    const mail = await load(send, file);
    if (!mail || typeof mail.html !== 'string') return c.notFound();
    // The message is shown as it arrived; the sandbox keeps any script in it from running here.
    c.header('Content-Security-Policy', 'sandbox; img-src * data:');
    return c.html(mail.html);
  });

  return app;
}

/** A header's value as mailparser decoded it, when it is one value that reads as text (not Received and the like). */
function decodedHeader(mail: ParsedMail, key: string, zone: string): string | undefined {
  const value = mail.headers.get(key);
  if (typeof value === 'string') return value;
  if (value instanceof Date) return formatInstant(value.getTime(), zone);
  if (value && typeof value === 'object' && 'text' in value && typeof value.text === 'string')
    return value.text;
  return undefined;
}
