import { readFile } from 'node:fs/promises';
import { extname, join, resolve, sep } from 'node:path';
import type { Context } from 'hono';
import { fileInside } from '../../file-inside.ts';

const IMAGE_TYPES: Record<string, string> = {
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.png': 'image/png',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
};

/**
 * GET /images/*: the issues' images from `imagesDir` (relative image paths in an issue resolve to
 * PUBLIC_URL/images/…). Only image types, only regular files whose real path is inside the folder;
 * anything else is a 404.
 */
export function serveImages(imagesDir: string) {
  const root = resolve(imagesDir);
  return async (c: Context) => {
    let rel: string;
    try {
      rel = decodeURIComponent(c.req.path.slice('/images/'.length));
    } catch {
      return c.notFound();
    }
    const path = resolve(root, rel);
    const type = IMAGE_TYPES[extname(path).toLowerCase()];
    if (!type || !path.startsWith(join(root, sep))) return c.notFound();
    const real = await fileInside(root, path);
    if (!real) return c.notFound();
    try {
      return c.body(await readFile(real), 200, { 'content-type': type });
    } catch {
      return c.notFound();
    }
  };
}
