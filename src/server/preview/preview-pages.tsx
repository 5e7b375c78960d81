import { createHash } from 'node:crypto';
import type { ReactNode } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { GMAIL_CLIP_BYTES, type LintWarning } from '../../compose/lint.ts';
import type { Problem } from '../../issue/load.ts';

const CSS = `
body { font: 14px/1.6 system-ui, 'Hiragino Sans', 'Noto Sans JP', sans-serif; margin: 0; color: #222; background: #f4f5f7; }
header { background: #1d4f91; color: #fff; padding: 10px 20px; } header a { color: #fff; text-decoration: none; }
main { padding: 20px; } table { border-collapse: collapse; background: #fff; }
td, th { padding: 6px 12px; border-bottom: 1px solid #ddd; text-align: left; }
.frames { display: flex; gap: 24px; align-items: flex-start; flex-wrap: wrap; }
.frames figure { margin: 0; } iframe { border: 1px solid #ccc; background: #fff; height: 1400px; }
.side-by-side { display: flex; gap: 16px; align-items: flex-start; overflow-x: auto; }
.side-by-side figure { margin: 0; }
.bar { width: 300px; height: 10px; background: #ddd; border-radius: 5px; overflow: hidden; display: inline-block; vertical-align: middle; }
.bar span { display: block; height: 100%; background: #2e7d32; } .bar span.warn { background: #c62828; }
.error { background: #fdecea; border: 1px solid #e57373; padding: 12px 16px; border-radius: 6px; }
.warning { color: #8a5300; } pre { background: #fff; border: 1px solid #ddd; padding: 12px; overflow: auto; max-height: 600px; white-space: pre-wrap; }
`;

// Reloads the page when the server says a file changed, or when a restarted server (templates edited) answers again.
const LIVE_RELOAD = `
(() => { let boot; const es = new EventSource('/events');
  es.addEventListener('boot', (e) => { if (boot && boot !== e.data) location.reload(); boot = e.data; });
  es.addEventListener('reload', () => location.reload()); })();
`;

/**
 * The preview's Content-Security-Policy: its own origin only, plus the live-reload script by hash and
 * the images an issue links to, so that an issue or a received mail shown in it cannot run script.
 */
export const PREVIEW_CSP = [
  "default-src 'self'",
  `script-src 'sha256-${createHash('sha256').update(LIVE_RELOAD).digest('base64')}'`,
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' https: http: data:",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'self'",
].join('; ');

/** The preview's page frame: header, styles and live reload. */
export function Page({ title, children }: { title: string; children: ReactNode }) {
  return (
    <html lang="en">
      <head>
        <meta charSet="utf-8" />
        <title>{title}</title>
        {/* biome-ignore lint/security/noDangerouslySetInnerHtml: constant CSS; React would escape its quotes */}
        <style dangerouslySetInnerHTML={{ __html: CSS }} />
      </head>
      <body>
        <header>
          <a href="/">Gazette preview</a> · <a href="/outbox">Outbox</a> · {title}
        </header>
        <main>{children}</main>
        {/* biome-ignore lint/security/noDangerouslySetInnerHtml: constant script; React would escape its quotes */}
        <script dangerouslySetInnerHTML={{ __html: LIVE_RELOAD }} />
      </body>
    </html>
  );
}

/** A mail shown side by side at desktop (600 px) and phone (375 px) widths; `sandboxed` for mail as received. */
export function EmailFrames({ src, sandboxed = false }: { src: string; sandboxed?: boolean }) {
  return (
    <div className="frames">
      {[600, 375].map((width) => (
        <figure key={width}>
          <figcaption>{width} px</figcaption>
          <iframe title={`${width} px`} src={src} width={width} {...(sandboxed ? { sandbox: '' } : {})} />
        </figure>
      ))}
    </div>
  );
}

/** One row of the index: an issue file that parsed, or one that did not. */
export type IssueEntry =
  | { file: string; ok: true; number: number; month: string; subject: string; warnings: number }
  | { file: string; ok: false; problems: number };

export function indexPage(entries: IssueEntry[]): string {
  return html(
    <Page title="Issues">
      <table>
        <thead>
          <tr>
            <th>File</th>
            <th>No.</th>
            <th>Month</th>
            <th>Subject</th>
            <th>Status</th>
          </tr>
        </thead>
        <tbody>
          {entries.map((e) => (
            <tr key={e.file}>
              <td>
                <a href={`/issues/${encodeURIComponent(e.file)}`}>{e.file}</a>
              </td>
              {e.ok ? (
                <>
                  <td>{e.number}</td>
                  <td>{e.month}</td>
                  <td>{e.subject}</td>
                  <td>{e.warnings === 0 ? 'ok' : `${e.warnings} warning(s)`}</td>
                </>
              ) : (
                <td colSpan={4} className="error">
                  invalid: {e.problems} problem(s)
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </Page>,
  );
}

export interface IssueView {
  file: string;
  /** The files of the number's editions (the default first), when it has more than one. */
  editions: string[];
  subject: string;
  preheader: string;
  htmlBytes: number;
  warnings: LintWarning[];
  text: string;
  mjml: string;
}

export function issuePage(v: IssueView): string {
  const share = v.htmlBytes / GMAIL_CLIP_BYTES;
  const emailUrl = `/issues/${encodeURIComponent(v.file)}/email.html`;
  return html(
    <Page title={v.file}>
      <table>
        <tbody>
          <tr>
            <th>Subject</th>
            <td>{v.subject}</td>
          </tr>
          <tr>
            <th>Preheader</th>
            <td>{v.preheader || '(none)'}</td>
          </tr>
          {v.editions.length > 0 && (
            <tr>
              <th>Editions</th>
              <td className="editions">
                {v.editions.map((f) =>
                  f === v.file ? (
                    <strong key={f}>{f} </strong>
                  ) : (
                    <a key={f} href={`/issues/${encodeURIComponent(f)}`}>
                      {f}{' '}
                    </a>
                  ),
                )}
              </td>
            </tr>
          )}
          <tr>
            <th>HTML size</th>
            <td>
              <span className="bar">
                <span
                  className={share > 0.88 ? 'warn' : ''}
                  style={{ width: `${Math.min(100, share * 100)}%` }}
                />
              </span>{' '}
              {(v.htmlBytes / 1024).toFixed(1)} KB of Gmail's 102 KB clipping limit
            </td>
          </tr>
          <tr>
            <th>Lint</th>
            <td>
              {v.warnings.length === 0
                ? 'no warnings'
                : v.warnings.map((w) => (
                    <div key={`${w.code}${w.path ?? ''}`} className="warning">
                      {w.path ? `${w.path}: ` : ''}
                      {w.message}
                    </div>
                  ))}
            </td>
          </tr>
          <tr>
            <th>Links</th>
            <td>
              <a href={`/issues/${encodeURIComponent(v.file)}/checks`}>Check remote images and links</a>
            </td>
          </tr>
        </tbody>
      </table>
      <EmailFrames src={emailUrl} />
      {v.editions.length > 0 && (
        <>
          <h2>Editions side by side</h2>
          <div className="side-by-side">
            {v.editions.map((f) => (
              <figure key={f}>
                <figcaption>{f}</figcaption>
                <iframe
                  title={`${f} at 375 px`}
                  src={`/issues/${encodeURIComponent(f)}/email.html`}
                  width={375}
                />
              </figure>
            ))}
          </div>
        </>
      )}
      <h2>Plain text</h2>
      <pre>{v.text}</pre>
      <details>
        <summary>MJML source</summary>
        <pre>{v.mjml}</pre>
      </details>
    </Page>,
  );
}

export function invalidIssuePage(file: string, problems: Problem[]): string {
  return html(
    <Page title={file}>
      <div className="error">
        <strong>{file} is not a valid issue.</strong> Fix these and the page reloads by itself:
        <ul>
          {problems.map((p) => (
            <li key={`${p.path}${p.message}`}>
              <code>{p.path || '(file)'}</code>: {p.message}
            </li>
          ))}
        </ul>
      </div>
    </Page>,
  );
}

/** A page element as an HTML document. */
export function html(element: ReactNode): string {
  return `<!doctype html>${renderToStaticMarkup(element)}`;
}
