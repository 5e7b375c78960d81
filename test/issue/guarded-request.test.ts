import { createServer as createTcpServer, type Server as TcpServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FetchPolicy } from '../../src/issue/link-checks/guarded-request.ts';
import { checkRemote } from '../../src/issue/link-checks/remote-checks.ts';
import { parseIssue } from '../../src/issue/load.ts';
import { issue201Json } from '../helpers/issues.ts';
import { type LinkServer, loopbackForms, startLinkServer } from '../helpers/link-server.ts';

/**
 * Issue 17, point 4: the link checks fetched whatever an issue named, this machine and its network
 * included. `inner` plays a service on loopback that must never be reached (IPv4 and IPv6); `outer`,
 * on 127.0.0.2 and taken for a public site through the policy's `treatAsPublic`, plays a site that
 * redirects to it.
 */
let inner: LinkServer;
let outer: LinkServer;
let speaksRedis: TcpServer;
let redisLike: number;

beforeAll(async () => {
  inner = await startLinkServer('::');
  outer = await startLinkServer('127.0.0.2');
  // Answers like Redis does to an HTTP request; its socket error used to be shown (UND_ERR_SOCKET).
  speaksRedis = createTcpServer((s) => s.resume().end('-ERR unknown command\r\n'));
  await new Promise<void>((r) => speaksRedis.listen(0, '127.0.0.2', r));
  redisLike = (speaksRedis.address() as { port: number }).port;
});
afterAll(async () => {
  for (const s of [inner.server, outer.server, speaksRedis]) await new Promise((r) => s.close(r));
});

/** Every port the test servers use is allowed, so an address is the one reason left to refuse. */
const policy = (over: Partial<FetchPolicy> = {}): FetchPolicy => ({
  allowPrivate: false,
  ports: [80, 443, inner.port, outer.port, redisLike],
  treatAsPublic: ['127.0.0.2'],
  ...over,
});

/** Issue No.201 whose every link is `urls[0]`, plus one footer link for each of `urls`, and `images` as its remote images. */
function issueLinking(urls: string[], images: string[] = []) {
  const data = issue201Json();
  const first = urls[0];
  data.lead.url = first;
  for (const s of data.sections) for (const a of s.articles) a.url = first;
  data.photo.url = first;
  data.ranking.items = [{ title: 'r', url: first }];
  data.footer.links = urls.map((url, i) => ({ label: `l${i}`, url }));
  if (images[0]) data.lead.image.src = images[0];
  if (images[1]) data.photo.image.src = images[1];
  return parseIssue(data);
}

describe('link checks refuse private addresses (issue 17)', () => {
  it('every loopback and private form is refused before anything is sent, with the reason only', async () => {
    const links = [
      ...loopbackForms(inner.port),
      'http://127.0.0.1:6379/',
      'http://10.0.0.1/',
      'http://172.16.0.1/',
      'http://192.168.1.1/',
      'http://169.254.169.254/latest/meta-data/',
      'http://100.64.0.1/',
      'http://[fd00::1]/',
      'http://[fe80::1]/',
      'http://0.0.0.0/',
    ];
    const images = [`http://[::ffff:7f00:1]:${inner.port}/x.jpg`, `http://localhost:${inner.port}/y.jpg`];
    const checks = await checkRemote(issueLinking(links, images), { policy: policy(), timeoutMs: 2000 });
    expect(inner.requests).toEqual([]);
    for (const url of links) {
      expect(checks.filter((c) => c.message.includes(` ${url} `)).map((c) => c.message)).toContain(
        `link ${url} not checked: private address`,
      );
    }
    expect(checks.map((c) => c.message)).toContain(`image ${images[0]} not checked: private address`);
    expect(checks.map((c) => c.message)).toContain(`image ${images[1]} not checked: private address`);
    expect(checks.every((c) => c.level === 'warning' && c.id.startsWith('not-checked:'))).toBe(true);
  });

  it('a redirect from a public site to loopback is refused at the hop: the listener behind it gets nothing', async () => {
    const targets = loopbackForms(inner.port);
    const links = targets.map((to) => `${outer.base}/redirect?to=${encodeURIComponent(to)}`);
    const checks = await checkRemote(issueLinking(links), { policy: policy(), timeoutMs: 2000 });
    expect(outer.requests.filter((r) => r.startsWith('HEAD /redirect')).length).toBe(links.length);
    expect(inner.requests).toEqual([]);
    for (const url of links) {
      expect(checks.map((c) => c.message)).toContain(`link ${url} not checked: private address`);
    }

    // The control: allowed, the same redirects do reach it, so an empty list above means refused.
    await checkRemote(issueLinking(links), { policy: policy({ allowPrivate: true }), timeoutMs: 2000 });
    expect(inner.requests.length).toBeGreaterThanOrEqual(targets.length);
    inner.requests.length = 0;
  });

  it('follows 3 redirects and no more; only http and https, at every hop', async () => {
    const hops = (n: number, end: string): string =>
      n === 0 ? end : `${outer.base}/redirect?to=${encodeURIComponent(hops(n - 1, end))}`;
    const three = hops(3, `${outer.base}/three`);
    const four = hops(4, `${outer.base}/four`);
    const file = hops(1, 'file:///etc/passwd');
    const checks = await checkRemote(issueLinking([three, four, file]), {
      policy: policy(),
      timeoutMs: 2000,
    });
    expect(checks.some((c) => c.message.includes(three))).toBe(false);
    expect(outer.requests).toContain('HEAD /three');
    expect(checks.map((c) => c.message)).toContain(`link ${four} not checked: more than 3 redirects`);
    expect(outer.requests).not.toContain('HEAD /four');
    expect(checks.map((c) => c.message)).toContain(
      `link ${file} not checked: only http and https are checked`,
    );
  });

  it('a public address is reached on ports 80 and 443 only, unless allowed', async () => {
    const before = outer.requests.length;
    const url = `${outer.base}/other-port`;
    const checks = await checkRemote(issueLinking([url]), {
      policy: policy({ ports: [80, 443] }),
      timeoutMs: 2000,
    });
    expect(checks.map((c) => c.message)).toContain(`link ${url} not checked: port not allowed`);
    expect(outer.requests.length).toBe(before);
  });

  it('a failure says "no connection" and never which socket error: open and closed ports look alike', async () => {
    const closed = await new Promise<number>((r) => {
      const s = createTcpServer().listen(0, '127.0.0.2', () => {
        const { port } = s.address() as { port: number };
        s.close(() => r(port));
      });
    });
    const urls = [`http://127.0.0.2:${closed}/`, `http://127.0.0.2:${redisLike}/`];
    const checks = await checkRemote(issueLinking(urls), {
      policy: policy({ ports: [closed, redisLike] }),
      timeoutMs: 2000,
    });
    for (const url of urls) {
      expect(checks.map((c) => c.message)).toContain(`link ${url} did not answer (no connection)`);
    }
    expect(checks.map((c) => c.message).join('\n')).not.toMatch(/E[A-Z]{4,}|UND_ERR|HPE_|socket/);
  });
});
