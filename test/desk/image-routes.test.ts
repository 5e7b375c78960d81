import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MiddlewareHandler } from 'hono';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { imageRoutes, safeImageName } from '../../src/desk/api/issues/image-routes.ts';
import { deskRoutes, signedIn } from '../helpers/desk-routes.ts';

let dir: string;
const audited: string[] = [];
/** Only issue 204 exists. */
const app = (guard = signedIn) =>
  deskRoutes(
    (api) =>
      imageRoutes(api, {
        imagesDir: dir,
        exists: async (n) => n === 204,
        audit: async (_c, src) => audited.push(src),
      }),
    guard,
  );
const upload = (body: Buffer | Uint8Array | string, name: string, type = 'image/png') =>
  app().request(`/issues/204/images?name=${encodeURIComponent(name)}`, {
    method: 'POST',
    headers: { 'Content-Type': type },
    body: typeof body === 'string' ? body : new Blob([new Uint8Array(body)]),
  });
const picture = (width: number, height: number) =>
  sharp({ create: { width, height, channels: 3, background: { r: 200, g: 30, b: 60 } } });

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gazette-images-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('image upload', () => {
  it('resizes a large image to 1200 px, re-encodes it and fills in the size to show it at', async () => {
    const res = await upload(await picture(3000, 1500).jpeg().toBuffer(), 'Forum Photo.JPG', 'image/jpeg');
    expect(res.status).toBe(201);
    const image = await res.json();
    expect(image.src).toMatch(/^images\/204\/forum-photo-[a-z0-9]+\.jpg$/);
    expect(image).toMatchObject({ width: 600, height: 300 });
    const meta = await sharp(join(dir, image.src.replace(/^images\//, ''))).metadata();
    expect(meta).toMatchObject({ format: 'jpeg', width: 1200, height: 600 });
    expect(audited).toContain(image.src);
  });

  it('keeps a small image at its size and PNG and WebP in their formats', async () => {
    const png = await (await upload(await picture(300, 200).png().toBuffer(), 'small.png')).json();
    expect(png).toMatchObject({ width: 300, height: 200 });
    expect(png.src).toMatch(/\.png$/);
    const webp = await (
      await upload(await picture(800, 400).webp().toBuffer(), 'w.webp', 'image/webp')
    ).json();
    expect(webp.src).toMatch(/\.webp$/);
    expect(webp).toMatchObject({ width: 400, height: 200 });
  });

  it('refuses what is not a PNG, JPEG or WebP, whatever its name or type says', async () => {
    const gif = await picture(10, 10).gif().toBuffer();
    for (const [body, name] of [
      [gif, 'x.png'],
      ['<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>', 'x.png'],
      ['not an image', 'x.jpg'],
    ] as const) {
      const res = await upload(body, name);
      expect(res.status, name).toBe(415);
      expect((await res.json()).error).toBe('Only PNG, JPEG and WebP images can be uploaded.');
    }
  });

  it('never writes outside the issue folder, whatever the name', async () => {
    const res = await upload(await picture(20, 20).png().toBuffer(), '../../../etc/passwd');
    const image = await res.json();
    expect(image.src).toMatch(/^images\/204\/passwd-[a-z0-9]+\.png$/);
    expect(await readdir(dir)).toEqual(['204']);
    expect(safeImageName('写真.png')).toBe('image');
  });

  it('lists the folder with the sizes, and refuses without the guard', async () => {
    const { images } = await (await app().request('/issues/204/images')).json();
    expect(images.length).toBeGreaterThanOrEqual(4);
    expect(images.every((i: { src: string }) => i.src.startsWith('images/204/'))).toBe(true);
    expect((await (await app().request('/issues/999/images')).json()).images).toEqual([]);
    const refuse: MiddlewareHandler = async (c) => c.json({ error: 'no' }, 403);
    expect((await app(refuse).request('/issues/204/images')).status).toBe(403);
  });

  it('refuses an upload over 15 MB before reading it', async () => {
    const res = await upload(new Uint8Array(16 * 1024 * 1024), 'big.png');
    expect(res.status).toBe(413);
  });
});
