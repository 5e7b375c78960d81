export { launchChromium } from '../../scripts/chromium.ts';

import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, resolve, sep } from 'node:path';

/** Serves `html` at / and files of `dir` below it over real HTTP on port 0; close() stops it. */
export async function serveMail(html: string, dir: string): Promise<{ url: string; close(): Promise<void> }> {
  const root = resolve(dir);
  const server = createServer(async (req, res) => {
    const path = resolve(root, `.${decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)}`);
    if (req.url === '/') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(html);
    } else if (path.startsWith(join(root, sep)) && extname(path) === '.jpg') {
      const body = await readFile(path).catch(() => undefined);
      res.writeHead(body ? 200 : 404, { 'content-type': 'image/jpeg' }).end(body);
    } else res.writeHead(404).end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise((r) => server.close(() => r())),
  };
}
