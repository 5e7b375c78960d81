import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { type Check, imagesOf, isLocalSrc } from './check.ts';
import { PLACEHOLDER_MARK } from './placeholder.ts';
import type { Issue } from './schema.ts';

/** The file a relative image source names: PUBLIC_URL/images/… is served from `<issue folder>/images/…`. */
export function localImageFile(src: string, issueDir: string): string {
  const path = src.replace(/[?#].*$/, '').replace(/^\/+/, '');
  let decoded = path;
  try {
    decoded = decodeURIComponent(path);
  } catch {
    // A malformed %-escape names no file; checking the raw path reports it as missing.
  }
  return resolve(issueDir, decoded);
}

/**
 * Checks that every relative image source of the issue is a file under `issueDir` (the folder of the
 * issue JSON, whose `images/` the servers publish); a missing one is an error naming the path and file.
 * A source still holding the `[[TODO]]` placeholder names no file yet and is left to the placeholder check.
 */
export async function checkLocalImages(issue: Issue, issueDir: string): Promise<Check[]> {
  const local = imagesOf(issue).filter(
    ({ image }) => isLocalSrc(image.src) && !image.src.includes(PLACEHOLDER_MARK),
  );
  const results = await Promise.all(
    local.map(async ({ path, image }): Promise<Check | undefined> => {
      const file = localImageFile(image.src, issueDir);
      const found = await stat(file).then(
        (s) => s.isFile(),
        () => false,
      );
      if (found) return undefined;
      return {
        id: `image-missing:${path}`,
        level: 'error',
        path,
        message: `image file "${image.src}" not found (looked for ${file})`,
      };
    }),
  );
  return results.filter((c): c is Check => c !== undefined);
}
