import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DeskApp, PASSWORD, startDeskApp } from './desk-app.ts';
import { ensureDeskBundle, hasChromium, launchChromium, signIn } from './desk-browser.ts';

const WRITER = 'writer@desk.test';

let desk: DeskApp;
let browser: Browser;

beforeAll(async () => {
  ensureDeskBundle();
  desk = await startDeskApp({ [WRITER]: ['writer'] }, 1);
  browser = await launchChromium();
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await desk?.close();
});

describe.skipIf(!hasChromium)('the desk’s first paint (issue 18)', { timeout: 120_000 }, () => {
  it('paints the issues list of a signed-in editor from the app shell, fetching no page chunk', async () => {
    const { page } = await signIn(browser, desk.origin, WRITER, PASSWORD);
    await page.getByRole('link', { name: 'No.203' }).waitFor();
    // Later visits of the same session (signed in), each with a cold cache: the median of five.
    const context = page.context();
    const cdp = await context.newCDPSession(page);
    const scripts: string[] = [];
    page.on('request', (r) => {
      if (r.resourceType() === 'script') scripts.push(new URL(r.url()).pathname);
    });
    const paints: number[] = [];
    const largest: number[] = [];
    for (let i = 0; i < 5; i++) {
      scripts.length = 0;
      await cdp.send('Network.clearBrowserCache');
      await page.reload();
      await page.getByRole('link', { name: 'No.203' }).waitFor();
      paints.push(
        await page.evaluate(
          () => performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? Number.NaN,
        ),
      );
      // The largest paint so far: the issues list once it is there.
      largest.push(
        await page.evaluate(
          () =>
            new Promise<number>((resolve) => {
              new PerformanceObserver((list) =>
                resolve(list.getEntries().at(-1)?.startTime ?? Number.NaN),
              ).observe({
                type: 'largest-contentful-paint',
                buffered: true,
              });
            }),
        ),
      );
      // Only the entry script: the issues list is in it, nothing is fetched after it to show the list.
      expect(scripts).toHaveLength(1);
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[2] ?? Number.NaN;
    const fcp = median(paints);
    console.log(
      JSON.stringify({
        firstContentfulPaintMs: paints.map(Math.round),
        largestContentfulPaintMs: largest.map(Math.round),
        medianFcpMs: Math.round(fcp),
        medianLcpMs: Math.round(median(largest)),
      }),
    );
    // Under a second on loopback; the bound leaves room for a machine shared by many test runs.
    expect(fcp).toBeGreaterThan(0);
    expect(fcp).toBeLessThan(3000);
    expect(median(largest)).toBeLessThan(3000);
    await page.close();
  });
});
