/**
 * Renders an issue and saves full-page PNG screenshots at 1280, 600 and 375 px, with images shown and
 * blocked (as many mail apps do by default: `<n>-<width>-blocked.png`), using Debian's Chromium (no
 * browser download). An issue with editions beside it (`205.en.json`…) gets every edition rendered,
 * each file named with its locale: `<n>-<locale>-<width>[-blocked].png`.
 * Usage: npm run screenshot -- issues/201.json [--out DIR]
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { createPersonalizer } from '../src/compose/personalize.ts';
import { compileIssue } from '../src/compose/render.ts';
import { SAMPLE_READER } from '../src/compose/sample-reader.ts';
import { loadEditions } from '../src/issue/editions/edition-files.ts';
import { launchChromium } from './chromium.ts';

const WIDTHS = [1280, 600, 375];

const { values, positionals } = parseArgs({ allowPositionals: true, options: { out: { type: 'string' } } });
const file = positionals[0];
if (!file) {
  console.error('usage: npm run screenshot -- <issue.json> [--out DIR]');
  process.exit(1);
}
const outDir = values.out ?? 'dist/screenshots';

const { editions } = await loadEditions(file);
await mkdir(outDir, { recursive: true });
const browser = await launchChromium();
try {
  for (const issue of editions) {
    // A lone edition keeps the names it always had; with several, each name says its language.
    const stem = editions.length > 1 ? `${issue.number}-${issue.locale}` : `${issue.number}`;
    // Relative image paths resolve against the issue's own folder, so the screenshot needs no server.
    const compiled = await compileIssue(issue, { publicUrl: pathToFileURL(resolve(dirname(file))).href });
    const { html } = createPersonalizer(compiled)(SAMPLE_READER);
    const htmlFile = resolve(outDir, `${stem}.html`);
    await writeFile(htmlFile, html);
    for (const blocked of [false, true]) {
      for (const width of WIDTHS) {
        const page = await browser.newPage({ viewport: { width, height: 800 } });
        if (blocked)
          await page.route('**/*', (route) =>
            route.request().resourceType() === 'image' ? route.abort() : route.continue(),
          );
        await page.goto(pathToFileURL(htmlFile).href, { waitUntil: 'load' });
        const path = join(outDir, `${stem}-${width}${blocked ? '-blocked' : ''}.png`);
        await page.screenshot({ path, fullPage: true });
        await page.close();
        console.log(path);
      }
    }
  }
} finally {
  await browser.close();
}
