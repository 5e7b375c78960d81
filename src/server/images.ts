import { readFile, realpath, stat } from 'node:fs/promises';
import { extname, join, resolve, sep } from 'node:path';
import type { Context } from 'hono';

const IMAGE_TYPES: Record<string, string> = {
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.png': 'image/png',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
};

/**
 * The real path of `path` when it is a regular file whose real path (symlinks followed) lies inside
 * the real `root`; null otherwise. A link inside the folder to /etc/hostname is outside it.
 */
async function fileInside(root: string, path: string): Promise<string | null> {
  try {
    const [realRoot, real] = await Promise.all([realpath(root), realpath(path)]);
    if (!real.startsWith(join(realRoot, sep))) return null;
    return (await stat(real)).isFile() ? real : null;
  } catch {
    return null;
  }
}

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
