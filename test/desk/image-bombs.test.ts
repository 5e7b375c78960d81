import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACCOUNTS, startTestDesk, type TestDesk } from '../helpers/desk-server.ts';
import { issue201Json } from '../helpers/issues.ts';
import { blackPng } from '../helpers/png-bomb.ts';

// Issue 17, point 5: a 1 MB PNG declaring 16000×16000 pixels was decoded and resized; 16 at once took
// 24 s and grew the server by about 1 GB, and one of four concurrent uploads answered 500. The desk
// runs in this process, so this process's RSS is the server's.

let desk: TestDesk;
let dir: string;
let cookie: string;
let bomb: Buffer;

const upload = (body: Buffer, name = 'photo.png') =>
  fetch(`${desk.origin}/desk/api/issues/201/images?name=${name}`, {
    method: 'POST',
    headers: { cookie, origin: desk.origin, 'content-type': 'image/png' },
    body: new Uint8Array(body),
  });

/** Runs `work` while sampling this process's RSS; the answer, the seconds taken and the peak growth in MB. */
async function measured<T>(work: () => Promise<T>): Promise<{ result: T; seconds: number; rssMb: number }> {
  const before = process.memoryUsage.rss();
  let peak = before;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, 10);
  const start = performance.now();
  const result = await work();
  const seconds = (performance.now() - start) / 1000;
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage.rss());
  return { result, seconds, rssMb: Math.round((peak - before) / 1e6) };
}

/** The `error` sentence of a JSON answer, or the body of any other (say, a 500's plain text). */
function errorOf(body: string): string {
  try {
    return (JSON.parse(body) as { error: string }).error;
  } catch {
    return body;
  }
}

const answers = (responses: Response[]) =>
  Promise.all(
    responses.map(async (r) => ({
      status: r.status,
      retryAfter: r.headers.get('retry-after'),
      error: errorOf(await r.text()),
    })),
  );

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gazette-bombs-'));
  desk = await startTestDesk('image-bombs', {}, { imagesDir: dir });
  cookie = await desk.signIn(ACCOUNTS.writer);
  // Uploads go only to an issue the desk holds.
  const created = await desk.call('POST', '/issues', { cookie, body: { issue: issue201Json() } });
  expect(created.status).toBe(201);
  bomb = await blackPng(16000, 16000);
}, 60_000);
afterAll(async () => {
  await desk.close();
  await rm(dir, { recursive: true, force: true });
});

describe('image bombs', () => {
  it('refuses a 1 MB PNG declaring 16000×16000 pixels with 413 and a sentence, in under a second, decoding nothing', async () => {
    expect(bomb.length).toBeLessThan(1024 * 1024);
    const { result, seconds, rssMb } = await measured(() => upload(bomb));
    console.log(
      `image bombs: one 16000×16000 PNG answered ${result.status} in ${seconds.toFixed(2)} s, RSS +${rssMb} MB`,
    );
    expect(result.status).toBe(413);
    expect((await result.json()).error).toBe(
      'The image is 16000×16000 pixels (256 megapixels); images of up to 50 megapixels can be uploaded.',
    );
    expect(seconds).toBeLessThan(1);
    expect(rssMb).toBeLessThan(100);
    expect(await readdir(dir)).toEqual([]);
  }, 60_000);

  it('answers 16 bombs at once with 413 each, none 500, within seconds and without the memory to decode them', async () => {
    const { result, seconds, rssMb } = await measured(async () =>
      answers(await Promise.all(Array.from({ length: 16 }, () => upload(bomb)))),
    );
    console.log(
      `image bombs: 16 at once answered ${result.map((a) => a.status).join(',')} in ${seconds.toFixed(2)} s, RSS +${rssMb} MB`,
    );
    expect(result.map((a) => a.status)).toEqual(Array(16).fill(413));
    expect(seconds).toBeLessThan(3);
    expect(rssMb).toBeLessThan(150);
  }, 120_000);

  it('decodes a few photos at once and answers the rest 503 with Retry-After and a sentence, none 500', async () => {
    // 49 MP each (under the limit): real work for the decoder, about 0.2 s apiece on one core.
    const photo = await blackPng(7000, 7000);
    const { result, seconds, rssMb } = await measured(async () =>
      answers(await Promise.all(Array.from({ length: 12 }, () => upload(photo)))),
    );
    console.log(
      `image bombs: 12 49-MP photos at once answered ${result.map((a) => a.status).join(',')} in ${seconds.toFixed(2)} s, RSS +${rssMb} MB`,
    );
    const busy = result.filter((a) => a.status === 503);
    expect(result.filter((a) => a.status === 201).length).toBeGreaterThanOrEqual(2);
    expect(busy.length).toBeGreaterThanOrEqual(1);
    expect(busy.length + result.filter((a) => a.status === 201).length).toBe(12);
    for (const answer of busy) {
      expect(Number(answer.retryAfter)).toBeGreaterThan(0);
      expect(answer.error).toBe('Too many images are being processed; try again in a few seconds.');
    }
  }, 120_000);

  it('answers 4xx with a sentence, never 500, for a truncated image or one whose data is garbage', async () => {
    const photo = await sharp({
      create: {
        width: 800,
        height: 600,
        channels: 3,
        background: '#888',
        noise: { type: 'gaussian', mean: 128, sigma: 30 },
      },
    })
      .jpeg()
      .toBuffer();
    const png = await blackPng(2000, 2000);
    const garbled = Buffer.from(png);
    garbled.fill(0xa5, 60, garbled.length - 12);
    for (const [body, name] of [
      [photo.subarray(0, photo.length / 2), 'half.jpg'],
      [png.subarray(0, png.length - 40), 'cut.png'],
      [garbled, 'garbled.png'],
      [png.subarray(0, 40), 'header-only.png'],
    ] as const) {
      const res = await upload(body, name);
      const error = errorOf(await res.text());
      expect(res.status, name).toBeGreaterThanOrEqual(400);
      expect(res.status, name).toBeLessThan(500);
      expect(error, name).toMatch(/^[A-Z].*\.$/);
    }
  }, 60_000);
});
