import { randomUUID } from 'node:crypto';
import { type FSWatcher, watch } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { Hono } from 'hono';
import { streamSSE } from 'hono/streaming';
import type { CompiledIssue } from '../../compose/compiled.ts';
import { lintIssue } from '../../compose/lint.ts';
import { createPersonalizer } from '../../compose/personalize.ts';
import { compileIssue } from '../../compose/render.ts';
import { SAMPLE_READER } from '../../compose/sample-reader.ts';
import { editionFileNames } from '../../issue/editions/edition-files.ts';
import { issueChecks } from '../../issue/issue-checks.ts';
import type { RemoteCheckOptions } from '../../issue/link-checks/remote-checks.ts';
import { IssueError, loadIssue } from '../../issue/load.ts';
import type { SendReport } from '../../report/send-report.ts';
import { hostCheck } from '../host-check.ts';
import { serveImages } from '../public/image-files.ts';
import { checksPage } from './checks-page.tsx';
import { outboxRoutes } from './outbox.tsx';
import { type IssueEntry, indexPage, invalidIssuePage, issuePage, PREVIEW_CSP } from './preview-pages.tsx';
import { reportPage } from './send-report-page.tsx';

export interface PreviewDeps {
  /** The folder of issue JSON files (and their `images/`). */
  dir: string;
  /** The built-in SMTP sink's folder, shown at /outbox (absent: no Outbox page). */
  outboxDir?: string;
  /** A send's report, for /sends/:id (absent: the preview has no Redis and no report pages). */
  report?: (sendId: string) => Promise<SendReport | null>;
  /** The time zone pages show times in (TZ_DEFAULT). */
  zone?: string;
  /** How the check page fetches remote links (tests point it at a local server). */
  remoteChecks?: RemoteCheckOptions;
  /** Host names it answers besides localhost, 127.0.0.1 and [::1] (PREVIEW_HOSTS). */
  hosts?: readonly string[];
}

/** The editors' preview: every issue in `dir`, rendered at 600 and 375 px, with text, MJML, size and lint. */
export function createPreviewApp(deps: PreviewDeps): { app: Hono; close(): void } {
  const dir = resolve(deps.dir);
  const bootId = randomUUID();
  const listeners = new Set<() => void>();
  let watcher: FSWatcher | undefined;
  let timer: NodeJS.Timeout | undefined;
  try {
    // Debounced: editors' tools write a file in several steps.
    watcher = watch(dir, { recursive: true }, () => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        for (const notify of listeners) notify();
      }, 100);
    });
  } catch {
    watcher = undefined; // No live reload where the platform cannot watch; pages still work.
  }

  const issueFile = (name: string) => {
    if (basename(name) !== name || !name.endsWith('.json')) return undefined;
    return join(dir, name);
  };

  // Relative images resolve against this server's own origin, which serves them from `dir/images/`.
  const compile = async (file: string, requestUrl: string) => {
    const issue = await loadIssue(file, { checkImages: true });
    const compiled = await compileIssue(issue, { publicUrl: new URL(requestUrl).origin });
    return { issue, compiled };
  };

  const app = new Hono();
  // The Outbox lists subscribers' addresses: only this machine's own names may read it (DNS rebinding).
  app.use('*', hostCheck(deps.hosts));
  app.use('*', async (c, next) => {
    await next();
    if (!c.res.headers.has('Content-Security-Policy')) c.header('Content-Security-Policy', PREVIEW_CSP);
  });

  app.get('/', async (c) => {
    const files = (await readdir(dir)).filter((f) => f.endsWith('.json')).sort();
    const entries = await Promise.all(
      files.map(async (file): Promise<IssueEntry> => {
        try {
          const { issue, compiled } = await compile(join(dir, file), c.req.url);
          const warnings = lintIssue(issue, compiled.html).length;
          return {
            file,
            ok: true,
            number: issue.number,
            month: issue.month,
            subject: issue.subject,
            warnings,
          };
        } catch (err) {
          if (err instanceof IssueError) return { file, ok: false, problems: err.problems.length };
          throw err;
        }
      }),
    );
    return c.html(indexPage(entries));
  });

  app.get('/issues/:name', async (c) => {
    const name = c.req.param('name');
    const file = issueFile(name);
    if (!file) return c.notFound();
    try {
      const { issue, compiled } = await compile(file, c.req.url);
      const number = String(issue.number);
      const names = await readdir(dir);
      const editions = [`${number}.json`, ...editionFileNames(names, number)].filter((n) =>
        names.includes(n),
      );
      return c.html(
        issuePage({
          file: name,
          editions: editions.length > 1 ? editions : [],
          subject: compiled.subject,
          preheader: compiled.preheader,
          htmlBytes: Buffer.byteLength(compiled.html),
          warnings: lintIssue(issue, compiled.html),
          text: sample(compiled).text,
          mjml: compiled.mjml,
        }),
      );
    } catch (err) {
      if (err instanceof IssueError) return c.html(invalidIssuePage(name, err.problems), 422);
      throw err;
    }
  });

  app.get('/issues/:name/email.html', async (c) => {
    const file = issueFile(c.req.param('name'));
    if (!file) return c.notFound();
    try {
      const { compiled } = await compile(file, c.req.url);
      return c.html(sample(compiled).html);
    } catch (err) {
      if (err instanceof IssueError) return c.text(err.message, 422);
      throw err;
    }
  });

  app.get('/issues/:name/checks', async (c) => {
    const name = c.req.param('name');
    const file = issueFile(name);
    if (!file) return c.notFound();
    try {
      const checks = await issueChecks(await loadIssue(file), dir, deps.remoteChecks);
      return c.html(checksPage(name, checks));
    } catch (err) {
      if (err instanceof IssueError) return c.html(invalidIssuePage(name, err.problems), 422);
      throw err;
    }
  });

  app.get('/images/*', serveImages(join(dir, 'images')));
  if (deps.outboxDir) app.route('/outbox', outboxRoutes(resolve(deps.outboxDir), deps.zone ?? 'UTC'));

  app.get('/sends/:id', async (c) => {
    const id = c.req.param('id');
    const report = deps.report && /^[a-z0-9-]{1,64}$/.test(id) ? await deps.report(id) : null;
    return report ? c.html(reportPage(report, deps.zone ?? 'UTC')) : c.notFound();
  });

  app.get('/events', (c) =>
    streamSSE(c, async (stream) => {
      await stream.writeSSE({ event: 'boot', data: bootId });
      const notify = () => void stream.writeSSE({ event: 'reload', data: 'changed' });
      listeners.add(notify);
      await new Promise<void>((done) => stream.onAbort(done));
      listeners.delete(notify);
    }),
  );

  return {
    app,
    close() {
      clearTimeout(timer);
      watcher?.close();
    },
  };
}

function sample(compiled: CompiledIssue) {
  return createPersonalizer(compiled)(SAMPLE_READER);
}
