/// <reference lib="dom" />
// The page functions run in Chromium, where the DOM exists.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPersonalizer } from '../../src/compose/personalize.ts';
import { compileIssue } from '../../src/compose/render.ts';
import { SAMPLE_READER } from '../../src/compose/sample-reader.ts';
import { loadIssue } from '../../src/issue/load.ts';
import { launchChromium, serveMail } from '../helpers/browser.ts';
import { ISSUES_DIR } from '../helpers/issues.ts';

// The mail as a reader's client shows it, measured in a real browser: images keep their proportions
// at every width, and with images blocked (the default in many mail apps) nothing widens a phone's page.
let browser: Browser;
const servers: { close(): Promise<void> }[] = [];
beforeAll(async () => {
  browser = await launchChromium();
}, 60_000);
afterAll(async () => {
  await browser?.close();
  for (const s of servers) await s.close();
});

/** `name` is the file's name without `.json`: `201`, or an edition such as `205.ko`. */
async function openMail(name: string, width: number, images: boolean) {
  const issue = await loadIssue(`${ISSUES_DIR}/${name}.json`);
  // Relative images resolve against a stand-in origin that the page then loads from its own server.
  const compiled = await compileIssue(issue, { publicUrl: 'http://mail.test' });
  const html = createPersonalizer(compiled)(SAMPLE_READER).html;
  const server = await serveMail(html.replaceAll('http://mail.test/', '/'), ISSUES_DIR);
  servers.push(server);
  const page = await browser.newPage({ viewport: { width, height: 900 } });
  if (!images) await page.route(/\.(jpe?g|png|gif|webp)(\?|$)/, (route) => route.abort());
  await page.goto(server.url, { waitUntil: 'load' });
  return page;
}

describe.each(['201', '202', '203', '205', '205.en', '205.ko', '205.zh'])('issue %s in Chromium', (name) => {
  it.each([1280, 600, 375])(
    'at %i px every image is drawn at its file’s aspect ratio (within 5%)',
    async (width) => {
      const page = await openMail(name, width, true);
      const images = await page.$$eval('img', (imgs) =>
        imgs.map((img) => {
          const box = img.getBoundingClientRect();
          return {
            src: img.src,
            natural: img.naturalWidth / img.naturalHeight,
            drawn: box.width / box.height,
            w: box.width,
          };
        }),
      );
      await page.close();
      expect(images.length).toBeGreaterThan(0);
      for (const img of images) {
        expect(img.natural, `${img.src} loaded`).toBeGreaterThan(0);
        expect(Math.abs(img.drawn / img.natural - 1), `${img.src} at ${width} px`).toBeLessThan(0.05);
        expect(img.w).toBeLessThanOrEqual(width);
      }
    },
    60_000,
  );

  it.each([375, 600])(
    'at %i px with images blocked the page does not scroll sideways',
    async (width) => {
      const page = await openMail(name, width, false);
      const { scrollWidth, wider } = await page.evaluate(() => ({
        scrollWidth: document.documentElement.scrollWidth,
        wider: [...document.querySelectorAll('body *')].filter(
          (e) => e.getBoundingClientRect().right > window.innerWidth + 0.5,
        ).length,
      }));
      await page.close();
      expect({ scrollWidth, wider }).toEqual({ scrollWidth: width, wider: 0 });
    },
    60_000,
  );
});

describe('Korean in Chromium', () => {
  it('breaks lines at the spaces between words, never inside one', async () => {
    const page = await openMail('205.ko', 375, true);
    const title = page.getByText("서울시, 새로운 소득보장 모델 '안심소득' 시범사업 시작");
    const wordBreak = await title.evaluate((e) => getComputedStyle(e).wordBreak);
    // Each line of the wrapped title ends at a word's end: its width holds whole words only.
    const lines = await title.evaluate((e) => {
      const range = document.createRange();
      const text = e.firstChild as Text;
      const tops = new Map<number, string>();
      for (let i = 0; i < text.length; i++) {
        range.setStart(text, i);
        range.setEnd(text, i + 1);
        const top = Math.round(range.getBoundingClientRect().top);
        tops.set(top, (tops.get(top) ?? '') + text.data[i]);
      }
      return [...tops.values()].map((l) => l.trim());
    });
    await page.close();
    expect(wordBreak).toBe('keep-all');
    expect(lines.length).toBeGreaterThan(1);
    const words = "서울시, 새로운 소득보장 모델 '안심소득' 시범사업 시작".split(' ');
    for (const line of lines) for (const w of line.split(' ')) expect(words).toContain(w);
  }, 60_000);
});
