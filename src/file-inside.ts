import { realpath, stat } from 'node:fs/promises';
import { join, sep } from 'node:path';

/**
 * The real path of `path` when it is a regular file whose real path (symlinks followed) lies inside
 * the real `root`; null otherwise. A link inside the folder to /etc/hostname is outside it.
 */
export async function fileInside(root: string, path: string): Promise<string | null> {
  try {
    const [realRoot, real] = await Promise.all([realpath(root), realpath(path)]);
    if (!real.startsWith(join(realRoot, sep))) return null;
    return (await stat(real)).isFile() ? real : null;
  } catch {
    return null;
  }
}
