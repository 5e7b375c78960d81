import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A web server on a loopback port for the links of test issues (the pre-send checks fetch them):
 * 404 for every path under /gone, 200 for every other.
 */
export async function startLinkServer(): Promise<{ server: Server; base: string }> {
  const server = createServer((req, res) => {
    res.statusCode = req.url?.startsWith('/gone') ? 404 : 200;
    res.end('ok');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { server, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}
