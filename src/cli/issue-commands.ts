import { spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Command, Option } from 'commander';
import { loadConfig } from '../config.ts';
import { GazetteError } from '../errors.ts';
import { loadEditions } from '../issue/editions/edition-files.ts';
import { IssueError, loadIssue } from '../issue/load.ts';
import type { Problem } from '../issue/problem.ts';
import { LANGUAGES, type Language, type Wording, wordingFor } from '../text/messages/catalogue.ts';
import { messageText } from '../text/messages/message-text.ts';
import { pathLabel } from '../text/messages/path-label.ts';

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

/** One problem as the desk words it: 「セクション1・記事1のタイトル（12行目）：入力してください」. */
function problemLine(p: Problem, t: Wording): string {
  const message = messageText(p, t);
  if (!p.path) return message;
  const label = pathLabel(p.path, t);
  const place = p.line === undefined ? label : t('place.line', { place: label, line: p.line });
  return t('place.message', { place, message });
}

/** `gazette validate` and `gazette build`. */
export function registerIssueCommands(program: Command): void {
  program
    .command('validate')
    .description(
      'check an issue file and its editions beside it (<n>.<locale>.json); prints "ok" or one line per problem (path: message)',
    )
    .argument('<issue.json>')
    .addOption(
      new Option(
        '--lang <language>',
        'word the problems in this language, each place as a person reads it',
      ).choices(LANGUAGES),
    )
    .action(async (file: string, opts: { lang?: Language }) => {
      // Without --lang the lines stay `path: message` in English, which scripts may read.
      const t = opts.lang === undefined ? null : wordingFor(opts.lang);
      try {
        const { editions, warnings } = await loadEditions(file, { checkImages: true });
        for (const w of warnings) console.log(`warning: ${t ? problemLine(w, t) : w.message}`);
        const more = editions.length > 1 ? ` (editions: ${editions.map((e) => e.locale).join(', ')})` : '';
        console.log(`ok${more}`);
      } catch (err) {
        if (!(err instanceof IssueError) || t === null) throw err;
        throw new GazetteError(err.problems.map((p) => problemLine(p, t)).join('\n'), { code: 'E_INVALID' });
      }
    });

  program
    .command('new')
    .description(
      'start the next issue from an earlier one: next month, ranking by its clicks, [[TODO]] placeholders',
    )
    .argument('<number>', 'the new issue number', (v) => Number(v))
    .requiredOption('--from <earlier.json>', 'the issue to start from')
    .option('--out <file>', 'where to write it (default: <number>.json beside --from)')
    .action(async (number: number, opts: { from: string; out?: string }) => {
      if (!Number.isInteger(number) || number < 1)
        throw new GazetteError('<number> must be a whole number above 0.');
      const { scaffoldIssue } = await import('../issue/drafts/scaffold.ts');
      const next = scaffoldIssue(await loadIssue(opts.from), number);
      const out = opts.out ?? join(dirname(opts.from), `${number}.json`);
      try {
        await writeFile(out, `${JSON.stringify(next, null, 2)}\n`, { flag: 'wx' });
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
        throw new GazetteError(`${out} already exists; choose another --out or remove it first.`);
      }
      console.log(`wrote ${out}: replace every [[TODO]] (\`gazette validate ${out}\` lists them)`);
    });

  program
    .command('check')
    .description(
      'validate an issue and fetch its remote images and links; 404/410 is an error, no answer a warning',
    )
    .argument('<issue.json>')
    .option('--timeout <seconds>', 'per request', (v) => Number(v), 10)
    .action(async (file: string, opts: { timeout: number }) => {
      const { issueChecks } = await import('../issue/issue-checks.ts');
      const { fetchPolicy } = await import('../issue/link-checks/guarded-request.ts');
      const checks = await issueChecks(await loadIssue(file), dirname(file), {
        timeoutMs: opts.timeout * 1000,
        policy: fetchPolicy(loadConfig()),
      });
      for (const c of checks) console.log(`${c.level}: ${c.path ? `${c.path}: ` : ''}${c.message}`);
      const errors = checks.filter((c) => c.level === 'error').length;
      console.log(errors > 0 ? `${errors} error(s)` : 'ok');
      if (errors > 0) process.exitCode = 1;
    });

  program
    .command('build')
    .description(
      'render an issue to DIR/<number>/index.html, index.txt and index.mjml, and each edition beside it to DIR/<number>/<locale>/',
    )
    .argument('<issue.json>')
    .option('--out <dir>', 'output folder', 'dist')
    .action(async (file: string, opts: { out: string }) => {
      // Loaded here, not at the top: MJML and React take about a second to load, and only build needs them.
      const { buildIssue } = await import('../compose/build.ts');
      const { GMAIL_CLIP_BYTES } = await import('../compose/lint.ts');
      const { fillRankingFromRedis } = await import('./send/fill-ranking-cli.ts');
      const config = loadConfig();
      const { editions, warnings } = await loadEditions(file, { checkImages: true });
      for (const w of warnings) console.log(`warning: ${w.message}`);
      for (const [place, edition] of editions.entries()) {
        const issue = await fillRankingFromRedis(edition, (msg) => console.error(msg));
        const report = await buildIssue(issue, {
          outDir: opts.out,
          publicUrl: config.PUBLIC_URL,
          edition: place > 0,
        });
        for (const f of report.files) console.log(`${report.dir}/${f.name}  ${kb(f.bytes)}`);
        const share = Math.round((report.mailHtmlBytes / GMAIL_CLIP_BYTES) * 100);
        console.log(
          `mail HTML (${issue.locale}) ${kb(report.mailHtmlBytes)} (${share}% of Gmail's 102 KB clipping limit), built in ${Math.round(report.ms)} ms`,
        );
        for (const w of report.warnings) console.log(`warning: ${w.path ? `${w.path}: ` : ''}${w.message}`);
      }
    });
}

/**
 * `gazette preview`. From the TypeScript sources it runs itself under `tsx watch`, so that template
 * edits restart it; the compiled CLI serves in-process (issue edits still reload the page). Stopping
 * it (SIGINT or SIGTERM) stops everything it started.
 */
export function registerPreviewCommand(program: Command): void {
  program
    .command('preview')
    .description("serve the editors' preview of the issues in DIR, reloading on edits")
    .argument('[dir]', 'folder of issue files', 'issues')
    .option('--port <n>', 'port', (v) => Number(v), 4000)
    .action(async (dir: string, opts: { port: number }) => {
      const fromSources = import.meta.url.endsWith('.ts');
      if (fromSources && !process.env.GAZETTE_PREVIEW_CHILD) {
        await watchPreview(dir, opts.port);
        return;
      }
      const { startPreview } = await import('../server/preview/preview-server.ts');
      const { previewReport } = await import('./preview-report.ts');
      const { fetchPolicy } = await import('../issue/link-checks/guarded-request.ts');
      const config = loadConfig();
      const server = await startPreview({
        dir,
        port: opts.port,
        report: previewReport(config),
        outboxDir: config.OUTBOX_DIR,
        zone: config.TZ_DEFAULT,
        hosts: config.PREVIEW_HOSTS,
        policy: fetchPolicy(config),
      });
      console.log(`Preview of ${dir}/ at ${server.url} (edits to issues reload the page)`);
      console.log(`Messages of the built-in SMTP sink: ${server.url}/outbox`);
    });
}

/** Runs the preview in a `tsx watch` child and passes SIGINT/SIGTERM on, so that no child outlives it. */
async function watchPreview(dir: string, port: number): Promise<void> {
  const tsxCli = createRequire(import.meta.url).resolve('tsx/cli');
  const cli = fileURLToPath(new URL('../cli.ts', import.meta.url));
  const args = [tsxCli, 'watch', '--clear-screen=false', cli, 'preview', dir, '--port', String(port)];
  const child = spawn(process.execPath, args, {
    stdio: 'inherit',
    env: { ...process.env, GAZETTE_PREVIEW_CHILD: '1' },
  });
  const stop = (signal: NodeJS.Signals) => child.kill(signal);
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  await new Promise((done) => child.on('exit', done));
  process.off('SIGINT', stop);
  process.off('SIGTERM', stop);
}
