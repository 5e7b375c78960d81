import { randomBytes } from 'node:crypto';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import sharp from 'sharp';
import { boundedQueue } from '../../../bounded-queue.ts';
import { refusal } from '../caller-language.ts';
import type { DeskEnv } from '../desk-deps.ts';
import { ANY_ROLE, json, REFUSALS, secured, securedWithin } from '../route-kit.ts';
import {
  ErrorAnswer,
  ImageBody,
  type ImageListAnswer,
  ImageListAnswer as ImageListSchema,
  ImageUploadQuery,
  NumberParam,
  type StoredImage,
  StoredImage as StoredImageSchema,
} from '../schemas.ts';
import { MAX_INPUT_PIXELS, resizeUpload, uploadHeader } from './resize-upload.ts';

/** The mail's column is 600 px; images are kept at twice that for sharp high-density screens. */
export const COLUMN_PX = 600;
const MAX_PX = COLUMN_PX * 2;
/** Largest upload taken before it is read. */
export const MAX_UPLOAD_BYTES = 15 * 1024 * 1024;
/**
 * Uploads decoded at once, and more waiting their turn: a 50-megapixel photo takes about 0.2 s of a
 * core and up to 200 MB, so a burst waits in line or is told to come back, and the server stays up.
 */
const DECODING = { running: 2, waiting: 4 };
const BUSY_RETRY_SECONDS = 5;

const imageListRoute = createRoute({
  method: 'get',
  path: '/issues/{number}/images',
  summary: "The images in an issue's folder, with the size to show each at",
  ...secured(...ANY_ROLE),
  request: { params: NumberParam },
  responses: { 200: json(ImageListSchema, 'The images'), ...REFUSALS },
});

const imageUploadRoute = createRoute({
  method: 'post',
  path: '/issues/{number}/images',
  summary:
    'Upload one image (the file itself as the body, up to 15 MB and 50 megapixels); resized to 1200 px, metadata dropped',
  // Past 15 MB the upload is refused by its Content-Length (or as it streams), before it is read.
  ...securedWithin(
    {
      bytes: MAX_UPLOAD_BYTES,
      code: 'image-too-large',
      params: { mb: MAX_UPLOAD_BYTES / 1024 / 1024 },
      tooLarge: 'The image is larger than 15 MB.',
    },
    ...ANY_ROLE,
  ),
  request: {
    params: NumberParam,
    query: ImageUploadQuery,
    body: {
      content: {
        'image/png': { schema: ImageBody },
        'image/jpeg': { schema: ImageBody },
        'image/webp': { schema: ImageBody },
      },
      description: 'The PNG, JPEG or WebP file, read by its content (not by its name or type); at most 15 MB',
      required: true,
    },
  },
  responses: {
    201: json(StoredImageSchema, 'Stored; `src` as the issue JSON names it'),
    404: json(ErrorAnswer, 'There is no such issue'),
    413: json(ErrorAnswer, `The image is larger than 15 MB or ${MAX_INPUT_PIXELS / 1e6} megapixels`),
    415: json(ErrorAnswer, 'Not a PNG, JPEG or WebP image'),
    422: json(ErrorAnswer, 'The image is damaged or incomplete'),
    503: json(ErrorAnswer, 'Too many uploads are being decoded; try again after `Retry-After` seconds'),
    ...REFUSALS,
  },
});

/** What the image routes need: the images folder (served at /images/) and the issues. */
export interface ImageRouteDeps {
  imagesDir: string;
  /** Whether issue `number` exists: uploads go only to the folder of an issue (issue 17). */
  exists(number: number): Promise<boolean>;
  /** Writes the upload of `src` to the audit log under the caller of `c`. */
  audit(c: Context<DeskEnv>, src: string): Promise<unknown>;
}

const EXT: Record<string, string> = { png: 'png', jpeg: 'jpg', webp: 'webp' };

/** A file name from anything an uploader's computer calls it: lower-case letters, digits, hyphens. */
export function safeImageName(name: string): string {
  const stem = (name.split(/[/\\]/).pop() ?? '')
    .replace(/\.[^.]*$/, '')
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60);
  return stem || 'image';
}

/** The size to show an image of `width`×`height` pixels at: half of a 2× image, never wider than the column. */
function displaySize(width: number, height: number): { width: number; height: number } {
  const shown = Math.min(COLUMN_PX, width > COLUMN_PX ? Math.round(width / 2) : width);
  return { width: shown, height: Math.round((height * shown) / width) };
}

/**
 * Routes (below /desk/api) for an issue's images: `POST /issues/:number/images?name=` takes one PNG,
 * JPEG or WebP as the body (read by its content, not its name or type), resizes it to at most
 * 1200 px wide, re-encodes it (which drops its metadata, GPS included) and answers its `src`, width
 * and height; `GET /issues/:number/images` lists the folder. 415 for anything else, 413 past 15 MB
 * or MAX_INPUT_PIXELS, 422 for a damaged image, 503 while DECODING is full, 404 for an upload to an
 * issue that does not exist.
 */
export function imageRoutes(api: OpenAPIHono<DeskEnv>, deps: ImageRouteDeps): void {
  const decodeQueue = boundedQueue(DECODING);
  const root = resolve(deps.imagesDir);
  // NumberParam's 1 to 9 digits: a longer run of digits would name a folder such as `1e+30`.
  const folder = (n: number) => join(root, String(n));

  api.openapi(imageListRoute, async (c) => {
    const number = Number(c.req.valid('param').number);
    const dir = folder(number);
    const files = await readdir(dir).catch(() => [] as string[]);
    const images = await Promise.all(
      files
        .filter((f) => /\.(png|jpe?g|webp)$/i.test(f))
        .sort()
        .map(async (file) => {
          const meta = await sharp(join(dir, file))
            .metadata()
            .catch(() => null);
          if (!meta?.width || !meta.height) return null;
          return {
            src: `images/${number}/${file}`,
            ...displaySize(meta.width, meta.height),
          };
        }),
    );
    const answer: ImageListAnswer = { images: images.filter((i) => i !== null) };
    return c.json(answer, 200);
  });

  api.openapi(imageUploadRoute, async (c) => {
    const number = Number(c.req.valid('param').number);
    if (!(await deps.exists(number))) {
      const n = c.req.param('number');
      return c.json(refusal('no-issue', { number: n }, `There is no issue ${n}.`), 404);
    }
    const body = Buffer.from(await c.req.arrayBuffer());
    const header = await uploadHeader(body);
    if ('error' in header) return c.json(refusal(header.code, header.params, header.error), header.status);
    const decoding = decodeQueue(() => resizeUpload(body, header.format, MAX_PX));
    if (!decoding) {
      c.header('Retry-After', String(BUSY_RETRY_SECONDS));
      const error = 'Too many images are being processed; try again in a few seconds.';
      return c.json(refusal('images-busy', { seconds: BUSY_RETRY_SECONDS }, error), 503);
    }
    const resized = await decoding;
    if ('error' in resized)
      return c.json(refusal(resized.code, resized.params, resized.error), resized.status);
    const dir = folder(number);
    await mkdir(dir, { recursive: true });
    const { name } = c.req.valid('query');
    // Random as well as timed: two uploads of one name in one millisecond must not collide (issue 17).
    const stamp = `${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
    const file = `${safeImageName(name ?? 'image')}-${stamp}.${EXT[header.format]}`;
    await writeFile(join(dir, file), resized.data, { flag: 'wx' });
    const image: StoredImage = {
      src: `images/${number}/${file}`,
      ...displaySize(resized.width, resized.height),
    };
    await deps.audit(c, image.src);
    return c.json(image, 201);
  });
}
