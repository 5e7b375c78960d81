import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A link server: its base URL (`http://<host>:<port>`), its port, and every request it was sent. */
export interface LinkServer {
  server: Server;
  base: string;
  port: number;
  /** `METHOD /path` of each request, in order: a listener that must never be reached asserts it stays empty. */
  requests: string[];
}

/**
 * A web server on a loopback port for the links of test issues (the pre-send checks fetch them):
 * 404 for every path under /gone, a 302 to `to` for `/redirect?to=<url>`, 200 for every other.
 * `host` is the address it listens on: `::` takes IPv4 and IPv6 loopback alike (its base URL then
 * names 127.0.0.1).
 */
export async function startLinkServer(host = '127.0.0.1'): Promise<LinkServer> {
  const requests: string[] = [];
  const server = createServer((req, res) => {
    requests.push(`${req.method} ${req.url}`);
    const url = new URL(req.url ?? '/', 'http://x');
    const to = url.pathname === '/redirect' ? url.searchParams.get('to') : null;
    if (to) {
      res.writeHead(302, { location: to });
      res.end();
      return;
    }
    res.statusCode = url.pathname.startsWith('/gone') ? 404 : 200;
    res.end('ok');
  });
  await new Promise<void>((r) => server.listen(0, host, r));
  const port = (server.address() as AddressInfo).port;
  const shown = host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
  return { server, base: `http://${shown}:${port}`, port, requests };
}

/** Every way a link can name this machine's loopback on `port` (IPv4, IPv6, mapped, decimal, octal, hex, a name). */
export const loopbackForms = (port: number): string[] => [
  `http://127.0.0.1:${port}/a`,
  `http://[::1]:${port}/b`,
  `http://[::ffff:127.0.0.1]:${port}/c`,
  `http://2130706433:${port}/d`,
  `http://0177.0.0.1:${port}/e`,
  `http://0x7f.1:${port}/f`,
  `http://localhost:${port}/g`,
  `http://127.0.0.1:${port}/`,
];
