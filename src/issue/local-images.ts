import { join, posix, resolve } from 'node:path';
import { fileInside } from '../file-inside.ts';
import { type Check, imagesOf, isLocalSrc } from './check.ts';
import { PLACEHOLDER_MARK } from './drafts/placeholder-mark.ts';
import type { Issue } from './schema.ts';

/**
 * The file a relative image source names inside `imagesDir`: PUBLIC_URL/images/… is served from it, so
 * `images/201/a.jpg` is `<imagesDir>/201/a.jpg`. Undefined for a source that names anything outside
 * that folder (`../`, `%2e%2e/`, another folder), decided from the text alone, before any file is read.
 */
export function localImageFile(src: string, imagesDir: string): string | undefined {
  const path = src.replace(/[?#].*$/, '').replace(/^\/+/, '');
  let decoded = path;
  try {
    decoded = decodeURIComponent(path);
  } catch {
    // A malformed %-escape names no file; checking the raw path reports it as missing.
  }
  const inside = posix.normalize(decoded);
  if (!inside.startsWith('images/')) return undefined;
  return join(resolve(imagesDir), inside.slice('images/'.length));
}

/**
 * Checks that every relative image source of the issue is a file in `imagesDir` (the issue's `images/`,
 * which the servers publish), symlinks followed: one pointing outside, or a source that climbs out with
 * `../`, is an error, as is a missing file. Messages name the source as written, never a path on this
 * machine. A source still holding the `[[TODO]]` placeholder names no file yet and is left to the
 * placeholder check.
 */
export async function checkLocalImages(issue: Issue, imagesDir: string): Promise<Check[]> {
  const local = imagesOf(issue).filter(
    ({ image }) => isLocalSrc(image.src) && !image.src.includes(PLACEHOLDER_MARK),
  );
  const results = await Promise.all(
    local.map(async ({ path, image }): Promise<Check | undefined> => {
      const file = localImageFile(image.src, imagesDir);
      if (!file) {
        return {
          id: `image-outside:${path}`,
          level: 'error',
          code: 'image-outside',
          params: { src: image.src },
          path,
          message: `image file "${image.src}" is not in the images/ folder`,
        };
      }
      if (await fileInside(imagesDir, file)) return undefined;
      return {
        id: `image-missing:${path}`,
        level: 'error',
        code: 'image-missing',
        params: { src: image.src },
        path,
        message: `image file "${image.src}" not found`,
      };
    }),
  );
  return results.filter((c): c is Check => c !== undefined);
}
