import { join } from 'node:path';
import type { Check } from './check.ts';
import { checkRemote, type RemoteCheckOptions } from './link-checks/remote-checks.ts';
import { checkLocalImages } from './local-images.ts';
import type { Issue } from './schema.ts';

/**
 * Every check of a valid issue: its local image files (in `issueDir`/images) and its remote images and
 * links. What `gazette check` and the preview's check page list.
 */
export async function issueChecks(
  issue: Issue,
  issueDir: string,
  remote: RemoteCheckOptions = {},
): Promise<Check[]> {
  const [local, fetched] = await Promise.all([
    checkLocalImages(issue, join(issueDir, 'images')),
    checkRemote(issue, remote),
  ]);
  return [...local, ...fetched];
}
